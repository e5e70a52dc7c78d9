// Production. No secret values here or anywhere: everything authenticates with Microsoft Entra ID
// (keyVaultName and the two *SecretUri parameters stay empty unless a migration needs connection strings).
// Replace the placeholders (<...>) before deploying.
using '../main.bicep'

param environmentName = 'prod'
param tags = {
  app: 'acs-lifecycle'
  env: 'prod'
}

// Standard has sessions, duplicate detection and topics. Choose Premium for private endpoints, isolation
// from noisy neighbours, or more than a few hundred messages per second.
param serviceBusSku = 'Standard'
param serviceBusPremiumCapacity = 1
param serviceBusDisableLocalAuth = true

param acsDataLocation = 'Europe'

param postgresSkuName = 'Standard_D2ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageSizeGB = 64
param postgresBackupRetentionDays = 35
param postgresHighAvailability = 'ZoneRedundant'
param postgresEntraAdminGroupName = '<entra-group-prod-db-admins>'
param postgresEntraAdminGroupObjectId = '<object-id-of-that-group>'

param image = '<registry>.azurecr.io/acs-lifecycle:<version>'
param registryServer = '<registry>.azurecr.io'
param acrName = '<registry>'
param acrResourceGroup = '<registry resource group>'

// Replicas share the ACS budget through the ledger (see main.bicep): this sizes intake, not ACS calls.
param concurrency = 4
param maxReplicas = 3
// One replica always up: a leaver's revocation should not wait for a cold start.
param minReplicas = 1

param workerCpu = '1.0'
param workerMemory = '2Gi'

param logRetentionInDays = 90
