// Service Bus namespace with the worker's queue (without sessions), its session-enabled twin (for
// servicebus.sessions=true; requiresSession cannot change on an existing queue), and the outcomes topic and its
// subscriptions.
// Every entity setting comes from infra/entities.json (passed in as `entities`): nothing about the entities
// is typed here, so the test that compares entities.json with the emulator topology covers production too.

param location string
param namespaceName string

@allowed([
  'Standard'
  'Premium'
])
@description('Standard is enough for sessions, duplicate detection and topics; Premium buys isolation, predictable latency and private endpoints.')
param sku string

@allowed([
  1
  2
  4
  8
  16
])
@description('Messaging units; used only with Premium.')
param premiumCapacity int

@description('true once every client (worker, scaler, operators) uses Microsoft Entra ID: SAS keys stop working.')
param disableLocalAuth bool

@description('The contents of infra/entities.json.')
param entities object

param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2021-11-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? premiumCapacity : null
  }
  properties: {
    disableLocalAuth: disableLocalAuth
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2021-11-01' = {
  parent: namespace
  name: entities.queue.name
  properties: entities.queue.properties
}

resource sessionQueue 'Microsoft.ServiceBus/namespaces/queues@2021-11-01' = {
  parent: namespace
  name: entities.sessionQueue.name
  properties: entities.sessionQueue.properties
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2021-11-01' = {
  parent: namespace
  name: entities.outcomesTopic.name
  properties: entities.outcomesTopic.properties
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2021-11-01' = [for subscription in entities.outcomesTopic.subscriptions: {
  parent: topic
  name: subscription.name
  properties: subscription.properties
}]

output name string = namespace.name
// What the worker's servicebus.namespace (SERVICEBUS_NAMESPACE) wants: the fully qualified name.
// Public cloud suffix; a sovereign cloud has its own.
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = queue.name
output sessionQueueName string = sessionQueue.name
output topicName string = topic.name
