// The scheduled drift reconciliation (issue 13, docs/operations.md "Reconciliation against the HR roster"):
// a Container Apps job that, on a cron schedule, downloads the HR roster export from Blob Storage (init
// container, Azure CLI, the worker identity, Microsoft Entra ID only) into an EmptyDir volume and runs
// `acs-lifecycle reconcile` on it against the ledger. It prints one line
//   drift N: missed-offboarding=N missed-suspension=N ...
// which the alert rule below matches in Log Analytics. Dry run unless applyCorrections; applying needs the
// export's own time in the blob's metadata `asof` (RFC 3339): without it the run stays a dry run, because the
// blob's upload time can be later than the export and a leaver terminated in between would look like a joiner.
// Exit codes: 0 no drift, 3 drift found (the execution shows as failed: look at it), 65 invalid roster, 66 no roster.

param location string
param jobName string
param environmentId string
param image string
param registryServer string
param workerIdentityId string
param workerClientId string
param workerPrincipalId string

param serviceBusFullyQualifiedNamespace string
param queueName string
param ledgerUrl string
param ledgerUser string

@description('Storage account (this resource group) the HR export lands in.')
param rosterStorageAccountName string
param rosterContainerName string
param rosterBlobName string

@description('Cron (UTC) of the run, e.g. daily 06:30 after the HR export at 06:00.')
param cronExpression string

@description('Publish corrective events (reconcile --apply) when the blob carries its as-of time; false: report only.')
param applyCorrections bool

@description('Also treat people with an identity whom the roster does not list as leavers (--absent-means-terminated).')
param absentMeansTerminated bool

@description('Log Analytics workspace the environment logs to: the alert rules query it.')
param workspaceId string

@description('Action group to notify; empty for alerts without notification.')
param actionGroupId string

param azureCliImage string = 'mcr.microsoft.com/azure-cli:2.70.0'
param tags object

var roles = {
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: rosterStorageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: rosterContainerName
}

// Read the export's container only, nothing else in the account.
resource rosterReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, workerPrincipalId, roles.storageBlobDataReader)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

var download = join([
  'set -eu'
  'az login --identity --client-id "$AZURE_CLIENT_ID" --allow-no-subscriptions --only-show-errors >/dev/null'
  'az storage blob download --auth-mode login --account-name "$ROSTER_ACCOUNT" --container-name "$ROSTER_CONTAINER" --name "$ROSTER_BLOB" --file /roster/roster.csv --only-show-errors >/dev/null'
  'az storage blob metadata show --auth-mode login --account-name "$ROSTER_ACCOUNT" --container-name "$ROSTER_CONTAINER" --name "$ROSTER_BLOB" --query asof -o tsv --only-show-errors > /roster/as-of || true'
  'echo "roster downloaded: $(wc -l < /roster/roster.csv) lines, as of: $(cat /roster/as-of)"'
], '\n')

var absentFlag = absentMeansTerminated ? ' --absent-means-terminated' : ''
var reconcile = join([
  'ASOF=$(tr -d "[:space:]" < /roster/as-of 2>/dev/null || true)'
  'JAVA="java -XX:MaxRAMPercentage=75.0 -jar /app/acs-lifecycle.jar"'
  'if [ "$APPLY" = "true" ] && [ -n "$ASOF" ]; then'
  '  exec $JAVA reconcile --roster /roster/roster.csv --as-of "$ASOF" --apply --operator "$JOB_NAME" --reason "scheduled reconciliation against $ROSTER_BLOB"${absentFlag}'
  'elif [ -n "$ASOF" ]; then'
  '  exec $JAVA reconcile --roster /roster/roster.csv --as-of "$ASOF"${absentFlag}'
  'else'
  '  echo "the roster blob has no asof metadata: dry run as of the download time"'
  '  exec $JAVA reconcile --roster /roster/roster.csv${absentFlag}'
  'fi'
], '\n')

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    configuration: {
      triggerType: 'Schedule'
      scheduleTriggerConfig: {
        cronExpression: cronExpression
        parallelism: 1
        replicaCompletionCount: 1
      }
      // A reconciliation is read-mostly and repeatable (deterministic event ids): no retry of a drift exit.
      replicaRetryLimit: 0
      replicaTimeout: 1800
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: workerIdentityId
        }
      ]
    }
    template: {
      volumes: [
        {
          name: 'roster'
          storageType: 'EmptyDir'
        }
      ]
      initContainers: [
        {
          name: 'download-roster'
          image: azureCliImage
          command: [
            '/bin/sh'
            '-c'
            download
          ]
          env: [
            {
              name: 'AZURE_CLIENT_ID'
              value: workerClientId
            }
            {
              name: 'ROSTER_ACCOUNT'
              value: rosterStorageAccountName
            }
            {
              name: 'ROSTER_CONTAINER'
              value: rosterContainerName
            }
            {
              name: 'ROSTER_BLOB'
              value: rosterBlobName
            }
          ]
          resources: {
            cpu: json('0.25')
            memory: '0.5Gi'
          }
          volumeMounts: [
            {
              volumeName: 'roster'
              mountPath: '/roster'
            }
          ]
        }
      ]
      containers: [
        {
          name: 'reconcile'
          image: image
          command: [
            '/bin/sh'
            '-c'
            reconcile
          ]
          env: [
            {
              name: 'AZURE_CLIENT_ID'
              value: workerClientId
            }
            {
              name: 'SERVICEBUS_NAMESPACE'
              value: serviceBusFullyQualifiedNamespace
            }
            {
              name: 'SERVICEBUS_QUEUE'
              value: queueName
            }
            {
              name: 'LEDGER_URL'
              value: ledgerUrl
            }
            {
              name: 'LEDGER_USER'
              value: ledgerUser
            }
            {
              name: 'LEDGER_POOL_SIZE'
              value: '2'
            }
            {
              name: 'LOG_FORMAT'
              value: 'json'
            }
            {
              name: 'APPLY'
              value: applyCorrections ? 'true' : 'false'
            }
            {
              name: 'JOB_NAME'
              value: jobName
            }
            {
              name: 'ROSTER_BLOB'
              value: rosterBlobName
            }
          ]
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          volumeMounts: [
            {
              volumeName: 'roster'
              mountPath: '/roster'
            }
          ]
        }
      ]
    }
  }
  dependsOn: [
    rosterReader
  ]
}

// Missed offboardings: leavers whose access was not cut. Severity 1; one evaluation per 30 minutes over the last
// 30 minutes, so each run's line is counted once.
resource missedOffboardings 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${jobName}-missed-offboardings'
  location: location
  tags: tags
  properties: {
    displayName: 'Reconciliation found missed offboardings'
    description: 'The HR roster lists leavers whose ACS access the ledger shows as not cut. Runbook: docs/operations.md, "Reconciliation against the HR roster".'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT30M'
    windowSize: 'PT30M'
    criteria: {
      allOf: [
        {
          query: 'ContainerAppConsoleLogs_CL | where ContainerJobName_s == "${jobName}" | where Log_s has "missed-offboarding=" | extend missed = toint(extract(@"missed-offboarding=([0-9]+)", 1, Log_s)) | where missed > 0 | project TimeGenerated, missed, Log_s'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: empty(actionGroupId) ? [] : [
        actionGroupId
      ]
    }
  }
}

// A run that could not compare at all (invalid or missing roster, ledger unreachable) is a gap in the evidence.
resource reconcileErrors 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${jobName}-errors'
  location: location
  tags: tags
  properties: {
    displayName: 'Reconciliation could not run'
    description: 'reconcile printed an error (invalid roster: the line and column are in the message). Runbook: docs/operations.md.'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT30M'
    windowSize: 'PT30M'
    criteria: {
      allOf: [
        {
          query: 'ContainerAppConsoleLogs_CL | where ContainerJobName_s == "${jobName}" | where Log_s startswith "error:" or Log_s has "ERROR" | project TimeGenerated, Log_s'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: empty(actionGroupId) ? [] : [
        actionGroupId
      ]
    }
  }
}

output name string = job.name
