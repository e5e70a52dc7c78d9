// The Azure Communication Services resource whose identities the worker manages, and the worker's access.
// ACS is a global resource; dataLocation decides where its data rests.

param acsName string
param dataLocation string
param workerPrincipalId string
param tags object

// Contributor on this one ACS resource: what the ACS docs grant a service principal or managed identity to
// call the Identity API with Microsoft Entra ID. There is no narrower built-in data role for identity
// management; the scope (one resource, not the resource group) is what keeps it small.
var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: acsName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource workerManagesIdentities 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: acs
  name: guid(acs.id, workerPrincipalId, contributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// What the worker's acs.endpoint (ACS_ENDPOINT) wants.
output endpoint string = 'https://${acs.properties.hostName}/'
