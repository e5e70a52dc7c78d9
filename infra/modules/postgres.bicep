// Azure Database for PostgreSQL flexible server for the ledger, with Microsoft Entra authentication only:
// no administrator password exists, so none can leak. The worker signs in as its managed identity through the
// JDBC auth plugin named in LEDGER_URL (see main.bicep). The Entra administrator (a group) creates the
// worker's database role once after the first deployment: docs/operations.md, "First deployment".

param location string
param serverName string
param databaseName string

@description('Flexible server SKU, e.g. Standard_B1ms (Burstable) for dev, Standard_D2ds_v5 (GeneralPurpose) for prod.')
param skuName string

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

param storageSizeGB int
param backupRetentionDays int

@allowed([
  'Disabled'
  'ZoneRedundant'
  'SameZone'
])
param highAvailability string

@description('Display name of the Microsoft Entra group that administers the server.')
param entraAdminName string

@description('Object ID of that group.')
param entraAdminObjectId string

param tags object

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: serverName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability
    }
    // No `network` block: public access (the default without a delegated subnet), opened to Azure only by the
    // firewall rule below, because a Container Apps environment without a virtual network has no fixed
    // outbound address. Entra-only sign-in limits who can connect; a VNet-integrated environment with private
    // access is the stricter follow-up (docs/operations.md).
  }
}

// The Entra administrator must exist before anything else talks to the server.
resource entraAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: entraAdminObjectId
  properties: {
    principalName: entraAdminName
    principalType: 'Group'
    tenantId: tenant().tenantId
  }
}

resource ledger 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    entraAdmin
  ]
}

// 0.0.0.0-0.0.0.0 is the documented special rule "allow Azure services", not "allow everyone".
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    ledger
  ]
}

output fqdn string = server.properties.fullyQualifiedDomainName
output ledgerDatabaseName string = ledger.name
