// Only when connection strings are used (the path before Microsoft Entra ID): lets the worker's identity read
// secrets from the existing Key Vault that holds them, so that Container Apps can resolve its Key Vault
// references. Key Vault Secrets User reads secret values and nothing else; the vault must use Azure RBAC.

param keyVaultName string
param workerPrincipalId string

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource workerReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, workerPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}
