// Where apps send customer events. Standard tier (consumer groups, 1-7 day retention, auto-
// inflate), SAS turned off: producers and the Functions trigger authenticate with Entra ID.
param namespaceName string
param eventHubName string
param consumerGroupName string
param location string
param tags object = {}
param partitionCount int
param retentionDays int
param throughputUnits int
param maxThroughputUnits int
@description('Principal id of the app\'s user-assigned identity (receives).')
param appPrincipalId string
@description('Optional principal of the apps that publish events (sends).')
param publisherPrincipalId string = ''
param publisherPrincipalType string = 'ServicePrincipal'
@description('Optional principal of the person running azd (sends, for the docs\' snippet).')
param deployerPrincipalId string = ''
param deployerPrincipalType string = 'User'

var roles = {
  dataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  dataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: throughputUnits
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: maxThroughputUnits > 0
    maximumThroughputUnits: maxThroughputUnits > 0 ? maxThroughputUnits : 0
    kafkaEnabled: false
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionDays
  }
}

// The Journeys trigger reads through its own consumer group, so other readers ($Default,
// Stream Analytics, Capture, ...) never steal its partitions or checkpoints.
resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
  properties: {
    userMetadata: 'Journeys Functions app (Event Hubs trigger)'
  }
}

// Receiver on this one hub, not the namespace: the app can read journey events and nothing else.
resource appReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hub.id, appPrincipalId, roles.dataReceiver)
  scope: hub
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataReceiver)
  }
}

// Senders on this one hub: they can publish events and cannot read any.
resource publisherSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(publisherPrincipalId)) {
  name: guid(hub.id, publisherPrincipalId, roles.dataSender)
  scope: hub
  properties: {
    principalId: publisherPrincipalId
    principalType: publisherPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
  }
}

resource deployerSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId) && deployerPrincipalId != publisherPrincipalId) {
  name: guid(hub.id, deployerPrincipalId, roles.dataSender)
  scope: hub
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
  }
}

output namespaceName string = namespace.name
// serviceBusEndpoint is https://<ns>.servicebus.windows.net:443/ ; keep the host name only
// (segment 2 of a split on '/', then drop the port). Not hard-coded: sovereign clouds differ.
output namespaceFqdn string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
output eventHubName string = hub.name
output consumerGroupName string = consumerGroup.name
