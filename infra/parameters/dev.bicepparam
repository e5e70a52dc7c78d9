// Development: smallest SKUs, the app sleeps when the queue is empty. No secret values here or anywhere:
// everything authenticates with Microsoft Entra ID. Replace the placeholders (<...>) before deploying.
using '../main.bicep'

param environmentName = 'dev'
param tags = {
  app: 'acs-lifecycle'
  env: 'dev'
}

param serviceBusSku = 'Standard'
param serviceBusDisableLocalAuth = true

param acsDataLocation = 'Europe'

param postgresSkuName = 'Standard_B1ms'
param postgresSkuTier = 'Burstable'
param postgresStorageSizeGB = 32
param postgresBackupRetentionDays = 7
param postgresHighAvailability = 'Disabled'
param postgresEntraAdminGroupName = '<entra-group-dev-db-admins>'
param postgresEntraAdminGroupObjectId = '<object-id-of-that-group>'

param image = '<registry>.azurecr.io/acs-lifecycle:<version>'
param registryServer = '<registry>.azurecr.io'
param acrName = '<registry>'
param acrResourceGroup = '<registry resource group>'

// Replicas share the ACS budget through the ledger (see main.bicep): this sizes intake, not ACS calls.
param concurrency = 2
param maxReplicas = 2
param minReplicas = 0

param logRetentionInDays = 30
