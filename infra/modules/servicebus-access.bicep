// Least privilege on Service Bus, scoped to single entities rather than the namespace:
// - worker: Data Receiver on its queue (receive, settle, and its dead-letter subqueue);
//           Data Sender on its queue (delayed retries are re-sent to the queue itself) and on the outcomes topic.
// - scaler: Data Owner on the queue only. KEDA's azure-servicebus scaler reads the queue's runtime
//           properties (active message count), which Receiver/Sender do not allow; Owner is what works in
//           practice (kedacore/keda#806). It is on a separate identity so the worker never holds it.

param namespaceName string
param queueName string
param topicName string
param workerPrincipalId string
param scalerPrincipalId string

// Built-in role definition IDs (the same in every tenant).
var roles = {
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
}

resource namespace 'Microsoft.ServiceBus/namespaces@2021-11-01' existing = {
  name: namespaceName
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2021-11-01' existing = {
  parent: namespace
  name: queueName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2021-11-01' existing = {
  parent: namespace
  name: topicName
}

resource workerReceivesFromQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: queue
  name: guid(queue.id, workerPrincipalId, roles.serviceBusDataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource workerSendsToQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: queue
  name: guid(queue.id, workerPrincipalId, roles.serviceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource workerSendsToTopic 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, workerPrincipalId, roles.serviceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource scalerReadsQueueLength 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: queue
  name: guid(queue.id, scalerPrincipalId, roles.serviceBusDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: scalerPrincipalId
    principalType: 'ServicePrincipal'
  }
}
