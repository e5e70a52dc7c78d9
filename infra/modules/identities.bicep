// Two user-assigned identities, so that each holds only what it needs:
// - the worker: receive/send on its own queue and topic, ACS, the ledger;
// - the KEDA scaler: reading the queue's length, which in practice needs Azure Service Bus Data Owner
//   (see servicebus-access.bicep). Keeping that role off the worker's identity is the point of the split.
// User-assigned rather than system-assigned: the role assignments and the PostgreSQL principal survive
// re-creating the container app, and exist before its first revision starts.

param location string
param workerIdentityName string
param scalerIdentityName string
param tags object

resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: workerIdentityName
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: scalerIdentityName
  location: location
  tags: tags
}

output workerId string = worker.id
output workerName string = worker.name
output workerPrincipalId string = worker.properties.principalId
output workerClientId string = worker.properties.clientId
output scalerId string = scaler.id
output scalerPrincipalId string = scaler.properties.principalId
