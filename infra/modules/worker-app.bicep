// The worker as a Container App: `java -jar acs-lifecycle.jar run` (the image's default command), configured
// only through environment variables named after the worker's configuration keys (key a.b-c -> env A_B_C,
// see config/local.properties), probed on its health endpoints, scaled by KEDA on the queue's length.

param location string
param appName string
param environmentId string
param image string

@description('Registry host (e.g. myregistry.azurecr.io) pulled from with the worker identity, which needs AcrPull there. Empty for a public image.')
param registryServer string

param workerIdentityId string
param workerClientId string
param scalerIdentityId string

param serviceBusNamespaceName string
param serviceBusFullyQualifiedNamespace string
param queueName string
param outcomesTopicName string
param sessions bool
param concurrency int
param acsEndpoint string
param ledgerUrl string
param ledgerUser string
param ledgerPoolSize int

param minReplicas int
param maxReplicas int

@description('KEDA messageCount: active messages per replica before another replica is added.')
param queueMessagesPerReplica int

@description('Key Vault secret URI of a Service Bus connection string; empty (the default) for Microsoft Entra ID.')
param serviceBusConnectionStringSecretUri string

@description('Key Vault secret URI of an ACS connection string; empty (the default) for Microsoft Entra ID.')
param acsConnectionStringSecretUri string

param cpu string
param memory string
param tags object

@description('Port of the token service (DESIGN §6, tokens.port); 0 (the default) leaves it off and the app without ingress.')
param tokenServicePort int = 0

@description('Token service: the Microsoft Entra ID issuer (iss) of callers\' access tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0.')
param tokenIssuer string = ''

@description('Token service: the accepted audiences (aud), comma-separated: the API app registration\'s client id and/or App ID URI.')
param tokenAudience string = ''

@description('Token service: the issuer\'s keys, e.g. https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys.')
param tokenJwksUrl string = ''

@description('Token service: the claim carrying the caller\'s HR external id.')
param tokenUserClaim string = 'oid'
@description('OTLP/HTTP endpoint the worker exports traces to (otel.exporter.otlp.endpoint), e.g. an OpenTelemetry Collector at http://otel-collector:4318; empty (the default) leaves tracing off.')
param otlpEndpoint string = ''

// The port of http.host/http.port: /health/live, /health/ready, /metrics.
var healthPort = 8080

// Connection strings only by Key Vault reference: the template holds a secret's address, never its value.
// When set, the worker prefers them over the namespace/endpoint (see WorkerSettings), so clearing the two
// parameters and redeploying is the switch to Microsoft Entra ID (docs/operations.md).
var serviceBusSecret = empty(serviceBusConnectionStringSecretUri) ? [] : [
  {
    name: 'servicebus-connection-string'
    keyVaultUrl: serviceBusConnectionStringSecretUri
    identity: workerIdentityId
  }
]
var acsSecret = empty(acsConnectionStringSecretUri) ? [] : [
  {
    name: 'acs-connection-string'
    keyVaultUrl: acsConnectionStringSecretUri
    identity: workerIdentityId
  }
]
var serviceBusSecretEnv = empty(serviceBusConnectionStringSecretUri) ? [] : [
  {
    name: 'SERVICEBUS_CONNECTION_STRING'
    secretRef: 'servicebus-connection-string'
  }
]
var acsSecretEnv = empty(acsConnectionStringSecretUri) ? [] : [
  {
    name: 'ACS_CONNECTION_STRING'
    secretRef: 'acs-connection-string'
  }
]

var env = [
  // azure-identity's DefaultAzureCredential picks the user-assigned identity by this client ID, for
  // Service Bus, ACS and the ledger's JDBC token plugin alike.
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
    name: 'SERVICEBUS_OUTCOMES_TOPIC'
    value: outcomesTopicName
  }
  {
    name: 'SERVICEBUS_SESSIONS'
    value: sessions ? 'true' : 'false'
  }
  {
    name: 'SERVICEBUS_CONCURRENCY'
    value: string(concurrency)
  }
  {
    name: 'ACS_ENDPOINT'
    value: acsEndpoint
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
    value: string(ledgerPoolSize)
  }
  {
    name: 'LOG_FORMAT'
    value: 'json'
  }
  // The probes come from outside the container: listen on every interface, not 127.0.0.1.
  {
    name: 'HTTP_HOST'
    value: '0.0.0.0'
  }
  {
    name: 'HTTP_PORT'
    value: string(healthPort)
  }
  // Container Apps sends SIGTERM and kills 30 s later by default: finish in-flight messages before that.
  {
    name: 'SHUTDOWN_DEADLINE'
    value: 'PT25S'
  }
  // The ACS resource's quotas per 30 s, whole: every replica draws on one shared budget per operation in the
  // ledger, so none of them is divided by the replica count.
  {
    name: 'ACS_PACING_CREATE_IDENTITY'
    value: '1000'
  }
  {
    name: 'ACS_PACING_ISSUE_TOKEN'
    value: '1000'
  }
  {
    name: 'ACS_PACING_REVOKE_TOKENS'
    value: '500'
  }
  {
    name: 'ACS_PACING_DELETE_IDENTITY'
    value: '500'
  }
]

// Traces over OTLP when an endpoint is given; OpenTelemetry's other OTEL_* variables may be added beside it.
var tracingEnv = empty(otlpEndpoint) ? [] : [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT'
    value: otlpEndpoint
  }
]

// The token service listens in plain HTTP on its own port; TLS ends at the Container App's ingress in front of
// it (allowInsecure false: HTTP is redirected, never served). The worker's health port stays off the ingress.
var tokenServiceEnv = tokenServicePort == 0 ? [] : [
  {
    name: 'TOKENS_HOST'
    value: '0.0.0.0'
  }
  {
    name: 'TOKENS_PORT'
    value: string(tokenServicePort)
  }
  {
    name: 'TOKENS_AUTH_ISSUER'
    value: tokenIssuer
  }
  {
    name: 'TOKENS_AUTH_AUDIENCE'
    value: tokenAudience
  }
  {
    name: 'TOKENS_AUTH_JWKS_URL'
    value: tokenJwksUrl
  }
  {
    name: 'TOKENS_AUTH_USER_CLAIM'
    value: tokenUserClaim
  }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      // No ingress unless the token service is on: the worker pulls from Service Bus; the probes reach the
      // health port directly. With the token service, the ingress terminates TLS and forwards to its port only.
      ingress: tokenServicePort == 0 ? null : {
        external: true
        targetPort: tokenServicePort
        transport: 'http'
        allowInsecure: false
      }
      secrets: concat(serviceBusSecret, acsSecret)
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: workerIdentityId
        }
      ]
      // The scaler's identity is attached only so that the scale rule can use it: lifecycle None keeps it out
      // of the container, so the worker process can never get a token with its Data Owner role.
      identitySettings: [
        {
          identity: scalerIdentityId
          lifecycle: 'None'
        }
        {
          identity: workerIdentityId
          lifecycle: 'All'
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          env: concat(env, serviceBusSecretEnv, acsSecretEnv, tokenServiceEnv, tracingEnv)
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: [
            // JVM start plus Flyway migrations before the health server listens: up to 10 + 10 x 10 = 110 s
            // (Container Apps allows failureThreshold 10 and initialDelaySeconds 60 at most).
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: healthPort
              }
              initialDelaySeconds: 10
              periodSeconds: 10
              failureThreshold: 10
              timeoutSeconds: 3
            }
            // Red when the processor should run but has not for 60 s: a restart is the cure.
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: healthPort
              }
              periodSeconds: 15
              failureThreshold: 3
              timeoutSeconds: 3
            }
            // Red while intake is paused by a systemic failure (ACS 401/403, ledger down): shows in the
            // revision's health; it restarts nothing, because the worker probes and resumes by itself.
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: healthPort
              }
              periodSeconds: 10
              failureThreshold: 3
              timeoutSeconds: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'lifecycle-queue-depth'
            custom: {
              type: 'azure-servicebus'
              // The scaler's own identity (Data Owner on this queue only), not the worker's.
              identity: scalerIdentityId
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: queueName
                messageCount: string(queueMessagesPerReplica)
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
