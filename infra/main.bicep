// ACS Lifecycle Worker: everything it needs in production, in one resource group.
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/parameters/<env>.bicepparam
// See docs/operations.md for the steps before and after (the database role, the image).

targetScope = 'resourceGroup'

@description('Short environment name used in resource names: dev, prod.')
@maxLength(8)
param environmentName string

param location string = resourceGroup().location
param tags object = {}

// ---- Service Bus
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Messaging units, Premium only.')
param serviceBusPremiumCapacity int = 1

@description('Turn SAS keys off once nothing uses connection strings any more (docs/operations.md).')
param serviceBusDisableLocalAuth bool = true

// ---- ACS
@description('Where ACS keeps its data at rest, e.g. "United States", "Europe".')
param acsDataLocation string

// ---- Ledger
param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

param postgresStorageSizeGB int = 32
param postgresBackupRetentionDays int = 7

@allowed([
  'Disabled'
  'ZoneRedundant'
  'SameZone'
])
param postgresHighAvailability string = 'Disabled'

@description('Microsoft Entra group that administers the PostgreSQL server (display name).')
param postgresEntraAdminGroupName string

@description('Object ID of that group.')
param postgresEntraAdminGroupObjectId string

// ---- Worker
@description('Worker image, e.g. myregistry.azurecr.io/acs-lifecycle:0.1.0 (built from the Dockerfile).')
param image string

@description('Registry host for the image; the worker identity needs AcrPull there. Empty for a public image.')
param registryServer string = ''

@description('Name of that registry if it is an Azure Container Registry: the deployment grants the worker AcrPull on it. Empty to grant it yourself.')
param acrName string = ''

@description('Resource group of that registry.')
param acrResourceGroup string = resourceGroup().name

@description('servicebus.sessions. false (default): the worker reads the queue without sessions; the ledger keeps one person\'s events in order. true: it reads the session-enabled queue (SessionId = subject), where the SDK holds each slot about 1.2 s per person (README, Worker: benchmark).')
param sessions bool = false

@description('servicebus.concurrency: messages (or, with sessions, sessions) each replica handles at once.')
@minValue(1)
param concurrency int = 4

@description('Replicas KEDA may run. Their ACS calls stay under the resource\'s quotas whatever this is (they share one budget per operation through the ledger), so it bounds intake throughput and ledger connections, not ACS calls.')
@minValue(1)
param maxReplicas int = 3

@description('0 lets the app sleep when the queue is empty (dev); 1 keeps offboarding latency low (prod).')
@minValue(0)
param minReplicas int = 1

param workerCpu string = '0.5'
param workerMemory string = '1Gi'

// ---- Connection strings (optional; Microsoft Entra ID is the default and the recommendation)
@description('Existing Key Vault (this resource group, Azure RBAC) holding connection strings; empty if none are used.')
param keyVaultName string = ''

@description('Key Vault secret URI of a Service Bus connection string; empty for Microsoft Entra ID.')
param serviceBusConnectionStringSecretUri string = ''

@description('Key Vault secret URI of an ACS connection string; empty for Microsoft Entra ID.')
param acsConnectionStringSecretUri string = ''

param logRetentionInDays int = 30

// ---- Scheduled reconciliation against the HR roster export (modules/reconcile-job.bicep); off when empty
@description('Storage account (this resource group) where HR drops the roster export; empty: no reconciliation job.')
param reconcileRosterStorageAccountName string = ''
param reconcileRosterContainerName string = 'hr-exports'
param reconcileRosterBlobName string = 'roster.csv'
@description('Cron (UTC) of the reconciliation run.')
param reconcileCronExpression string = '30 6 * * *'
@description('Publish corrective events (needs the blob metadata asof); false: report and alert only.')
param reconcileApplyCorrections bool = false
param reconcileAbsentMeansTerminated bool = false
@description('Action group for the reconciliation alerts; empty for none.')
param reconcileActionGroupId string = ''

// ---- Token service (DESIGN §6; off by default). TLS is terminated by the Container App's ingress in front of
// it; callers present Microsoft Entra ID access tokens for the API app registration named here.
@description('Port of the token service inside the container; 0 leaves it off (and the app without ingress).')
param tokenServicePort int = 0

@description('Issuer of callers\' access tokens, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0.')
param tokenIssuer string = ''

@description('Accepted audiences, comma-separated: the API app registration\'s client id and/or App ID URI.')
param tokenAudience string = ''

@description('The issuer\'s JWKS, e.g. https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys.')
param tokenJwksUrl string = ''

@description('The access-token claim that carries the HR external id.')
param tokenUserClaim string = 'oid'
@description('OTLP/HTTP endpoint for the worker\'s traces (an OpenTelemetry Collector, or one forwarding to Azure Monitor); empty leaves tracing off.')
param otlpEndpoint string = ''

// The queue, topic and subscription settings: one file, also checked against the emulator topology
// (config/servicebus-config.json) by EntitySettingsAgreementTest.
var entities = loadJsonContent('entities.json')

var suffix = take(uniqueString(resourceGroup().id), 6)
var names = {
  workerIdentity: 'id-acslc-worker-${environmentName}'
  scalerIdentity: 'id-acslc-scaler-${environmentName}'
  workspace: 'log-acslc-${environmentName}'
  serviceBus: 'sb-acslc-${environmentName}-${suffix}'
  acs: 'acs-acslc-${environmentName}-${suffix}'
  postgres: 'psql-acslc-${environmentName}-${suffix}'
  ledgerDatabase: 'acs_lifecycle'
  environment: 'cae-acslc-${environmentName}'
  app: 'ca-acslc-${environmentName}'
  reconcileJob: 'caj-acslc-reconcile-${environmentName}'
}

// ---- Replicas and the ACS quotas
// ACS allows, per resource and per 30 s: 1000 identity creates and token issues, 500 token revokes and 500 identity
// deletes. Every replica (and the operator CLI) takes each ACS call's permit from one budget per operation in the
// ledger (acs_budget, one-second slices at 90 % of the quota), so the replicas together stay under the quota
// however many KEDA runs: no division by a replica count. maxReplicas only sizes intake (about 170+ events/s per
// replica measured on 2 cores) and the ledger's connections.

// KEDA adds a replica per this many active messages: a few rounds of work for each of the c slots.
var queueMessagesPerReplica = concurrency * 5

// Each replica opens ledger.pool-size (+ half again for writes) connections; the pool must cover the
// concurrency or handlers wait for a connection (LedgerSettings).
var ledgerPoolSize = concurrency + 2

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    workerIdentityName: names.workerIdentity
    scalerIdentityName: names.scalerIdentity
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    namespaceName: names.serviceBus
    sku: serviceBusSku
    premiumCapacity: serviceBusPremiumCapacity
    disableLocalAuth: serviceBusDisableLocalAuth
    entities: entities
    tags: tags
  }
}

module serviceBusAccess 'modules/servicebus-access.bicep' = {
  name: 'servicebus-access'
  params: {
    namespaceName: serviceBus.outputs.name
    queueName: sessions ? serviceBus.outputs.sessionQueueName : serviceBus.outputs.queueName
    topicName: serviceBus.outputs.topicName
    workerPrincipalId: identities.outputs.workerPrincipalId
    scalerPrincipalId: identities.outputs.scalerPrincipalId
  }
}

module acs 'modules/acs.bicep' = {
  name: 'acs'
  params: {
    acsName: names.acs
    dataLocation: acsDataLocation
    workerPrincipalId: identities.outputs.workerPrincipalId
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    serverName: names.postgres
    databaseName: names.ledgerDatabase
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    highAvailability: postgresHighAvailability
    entraAdminName: postgresEntraAdminGroupName
    entraAdminObjectId: postgresEntraAdminGroupObjectId
    tags: tags
  }
}

module keyVaultAccess 'modules/keyvault-access.bicep' = if (!empty(keyVaultName)) {
  name: 'keyvault-access'
  params: {
    keyVaultName: keyVaultName
    workerPrincipalId: identities.outputs.workerPrincipalId
  }
}

module acrPull 'modules/acr-pull.bicep' = if (!empty(acrName)) {
  name: 'acr-pull'
  scope: resourceGroup(acrResourceGroup)
  params: {
    registryName: acrName
    workerPrincipalId: identities.outputs.workerPrincipalId
  }
}

module containerAppsEnvironment 'modules/containerapps-env.bicep' = {
  name: 'containerapps-env'
  params: {
    location: location
    environmentName: names.environment
    workspaceName: monitoring.outputs.name
    tags: tags
  }
}

module worker 'modules/worker-app.bicep' = {
  name: 'worker-app'
  params: {
    location: location
    appName: names.app
    environmentId: containerAppsEnvironment.outputs.environmentId
    image: image
    registryServer: registryServer
    workerIdentityId: identities.outputs.workerId
    workerClientId: identities.outputs.workerClientId
    scalerIdentityId: identities.outputs.scalerId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: sessions ? serviceBus.outputs.sessionQueueName : serviceBus.outputs.queueName
    outcomesTopicName: serviceBus.outputs.topicName
    sessions: sessions
    concurrency: concurrency
    acsEndpoint: acs.outputs.endpoint
    // Passwordless: the PostgreSQL driver gets a Microsoft Entra token for the worker identity
    // (AZURE_CLIENT_ID) from the azure-identity-extensions plugin; the user is that identity's name.
    ledgerUrl: 'jdbc:postgresql://${postgres.outputs.fqdn}:5432/${postgres.outputs.ledgerDatabaseName}?sslmode=require&authenticationPluginClassName=com.azure.identity.extensions.jdbc.postgresql.AzurePostgresqlAuthenticationPlugin'
    ledgerUser: identities.outputs.workerName
    ledgerPoolSize: ledgerPoolSize
    minReplicas: min(minReplicas, maxReplicas)
    maxReplicas: maxReplicas
    queueMessagesPerReplica: queueMessagesPerReplica
    serviceBusConnectionStringSecretUri: serviceBusConnectionStringSecretUri
    acsConnectionStringSecretUri: acsConnectionStringSecretUri
    cpu: workerCpu
    memory: workerMemory
    tags: tags
    tokenServicePort: tokenServicePort
    tokenIssuer: tokenIssuer
    tokenAudience: tokenAudience
    tokenJwksUrl: tokenJwksUrl
    tokenUserClaim: tokenUserClaim
    otlpEndpoint: otlpEndpoint
  }
  // Roles first, so the first revision can pull its image and does not start into 401s.
  dependsOn: [
    serviceBusAccess
    keyVaultAccess
    acrPull
  ]
}

module reconcileJob 'modules/reconcile-job.bicep' = if (!empty(reconcileRosterStorageAccountName)) {
  name: 'reconcile-job'
  params: {
    location: location
    jobName: names.reconcileJob
    environmentId: containerAppsEnvironment.outputs.environmentId
    image: image
    registryServer: registryServer
    workerIdentityId: identities.outputs.workerId
    workerClientId: identities.outputs.workerClientId
    workerPrincipalId: identities.outputs.workerPrincipalId
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: serviceBus.outputs.queueName
    ledgerUrl: 'jdbc:postgresql://${postgres.outputs.fqdn}:5432/${postgres.outputs.ledgerDatabaseName}?sslmode=require&authenticationPluginClassName=com.azure.identity.extensions.jdbc.postgresql.AzurePostgresqlAuthenticationPlugin'
    ledgerUser: identities.outputs.workerName
    rosterStorageAccountName: reconcileRosterStorageAccountName
    rosterContainerName: reconcileRosterContainerName
    rosterBlobName: reconcileRosterBlobName
    cronExpression: reconcileCronExpression
    applyCorrections: reconcileApplyCorrections
    absentMeansTerminated: reconcileAbsentMeansTerminated
    workspaceId: monitoring.outputs.id
    actionGroupId: reconcileActionGroupId
    tags: tags
  }
  dependsOn: [
    serviceBusAccess
    acrPull
  ]
}

output containerAppName string = worker.outputs.name
output workerIdentityName string = identities.outputs.workerName
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output acsEndpoint string = acs.outputs.endpoint
output postgresServer string = postgres.outputs.fqdn
output ledgerDatabase string = postgres.outputs.ledgerDatabaseName
output replicaCap int = maxReplicas
