// Container Apps environment (Consumption) whose console and system logs go to Log Analytics.

param location string
param environmentName string
param workspaceName string
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource managedEnvironment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        // Read at deployment time from the workspace; never stored in a file or an output.
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

output environmentId string = managedEnvironment.id
