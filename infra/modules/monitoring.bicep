// Log Analytics: the Container Apps environment sends the worker's stdout (JSON lines, LOG_FORMAT=json)
// and system logs here; docs/operations.md has the queries.

param location string
param workspaceName string
param retentionInDays int
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

output id string = workspace.id
output name string = workspace.name
