// Journeys on Azure: everything `azd up` provisions.
//
// One resource group with a Flex Consumption Function App (Event Hubs trigger, Durable
// orchestrations, admin HTTP API), its storage account, an Event Hubs namespace, Azure
// Communication Services (email with an Azure-managed domain, SMS when a number is given) and
// Application Insights. Every connection is made by one user-assigned managed identity: no
// keys, no connection strings with secrets, no listKeys anywhere. docs/deploy.md explains each
// choice, the roles and the costs.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every regional resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person running azd (set by azd). Gets Event Hubs Data Sender on the hub so the docs\' publishing snippet works from a laptop. Empty: no assignment.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principalId: User for a person, ServicePrincipal when azd runs in CI.')
param principalType string = 'User'

@description('Object id of the identity of the apps that publish customer events (optional). Gets Event Hubs Data Sender on the hub, nothing else.')
param eventPublisherPrincipalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param eventPublisherPrincipalType string = 'ServicePrincipal'

@description('Name of the event hub the apps publish to (app setting EventHubName).')
param eventHubName string = 'journey-events'

@minValue(1)
@maxValue(32)
@description('Partitions of the event hub. Events of one user stay in order because the partition key is the userId; more partitions = more parallel consumers. Cannot be changed later on the Standard tier.')
param eventHubPartitionCount int = 4

@minValue(1)
@maxValue(7)
@description('Days Event Hubs keeps events (Standard: 1 to 7).')
param eventHubRetentionDays int = 1

@minValue(1)
@maxValue(20)
@description('Throughput units of the namespace (1 TU = 1 MB/s or 1,000 events/s in).')
param eventHubThroughputUnits int = 1

@minValue(0)
@maxValue(20)
@description('Auto-inflate ceiling in throughput units; 0 turns auto-inflate off.')
param eventHubMaxThroughputUnits int = 0

@description('Where ACS keeps data at rest, e.g. "United States", "Europe", "UK", "Australia", "Japan".')
param acsDataLocation string = 'United States'

@description('Phone number (E.164) bought on the ACS resource to send SMS from; empty until you buy one (app setting Acs__smsFrom).')
param acsSmsFrom string = ''

@allowed([
  'sender'
  'contributor'
])
@description('What the app identity gets on the ACS resource: "sender" = a custom role with only CommunicationServices/Read and /Write (needs permission to create role definitions); "contributor" = the built-in Contributor role on that one resource, as ACS documents it.')
param acsRole string = 'sender'

@description('Send policies, the settings JSON of journeys serve (schemas/settings.schema.json): quietHours, frequencyCap, globalControl. Empty: none. The app refuses to start on settings it does not apply (docs/azure.md, "Send policies").')
param sendPolicies string = ''

@allowed([
  '10.0'
  '9.0'
  '8.0'
])
@description('.NET isolated worker version on Flex Consumption.')
param functionRuntimeVersion string = '10.0'

@allowed([
  512
  2048
  4096
])
@description('Memory of each Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Upper bound on Flex Consumption instances (40 is the platform minimum for this setting).')
param maximumInstanceCount int = 100

@minValue(0)
@maxValue(20)
@description('Always-ready instances for the "durable" group (orchestrators, activities, entities): no cold start when a timer fires. 0 = scale to zero, cheapest.')
param alwaysReadyDurableInstances int = 1

@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'journeys'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-journeys-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-journeys-${resourceToken}'
    applicationInsightsName: 'appi-journeys-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    appPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stjourneys${take(resourceToken, 14)}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    appPrincipalId: identity.outputs.principalId
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: rg
  params: {
    namespaceName: 'evhns-journeys-${resourceToken}'
    eventHubName: eventHubName
    consumerGroupName: 'journeys'
    location: location
    tags: tags
    partitionCount: eventHubPartitionCount
    retentionDays: eventHubRetentionDays
    throughputUnits: eventHubThroughputUnits
    maxThroughputUnits: eventHubMaxThroughputUnits
    appPrincipalId: identity.outputs.principalId
    publisherPrincipalId: eventPublisherPrincipalId
    publisherPrincipalType: eventPublisherPrincipalType
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    communicationServiceName: 'acs-journeys-${resourceToken}'
    emailServiceName: 'ecs-journeys-${resourceToken}'
    dataLocation: acsDataLocation
    tags: tags
    appPrincipalId: identity.outputs.principalId
    roleMode: acsRole
  }
}

// ACS reports (delivery, engagement) to the app's acs-reports queue through Event Grid.
module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    systemTopicName: 'evgt-journeys-${resourceToken}'
    identityName: 'id-journeys-eg-${resourceToken}'
    location: location
    tags: tags
    communicationServiceName: communication.outputs.name
    storageAccountName: storage.outputs.name
    queueName: storage.outputs.acsReportsQueueName
  }
}

// The app's params use outputs of storage, eventHubs, monitoring and communication, so it is
// deployed after those modules, role assignments included: its first start finds its access.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    planName: 'plan-journeys-${resourceToken}'
    appName: 'func-journeys-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'function'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    tableServiceUri: storage.outputs.tableServiceUri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    eventHubNamespaceFqdn: eventHubs.outputs.namespaceFqdn
    eventHubName: eventHubs.outputs.eventHubName
    eventHubConsumerGroup: eventHubs.outputs.consumerGroupName
    acsEndpoint: communication.outputs.endpoint
    acsEmailSender: communication.outputs.emailSender
    acsSmsFrom: acsSmsFrom
    sendPolicies: sendPolicies
    runtimeVersion: functionRuntimeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
  }
}

// azd reads these into the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_FUNCTION_URI string = functionApp.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
// For the apps that publish events.
output EVENTHUB_NAME string = eventHubs.outputs.eventHubName
output EVENTHUB_NAMESPACE_FQDN string = eventHubs.outputs.namespaceFqdn
output EVENTHUB_CONSUMER_GROUP string = eventHubs.outputs.consumerGroupName
output ACS_ENDPOINT string = communication.outputs.endpoint
output ACS_EMAIL_SENDER string = communication.outputs.emailSender
output ACS_EVENTS_SYSTEM_TOPIC string = eventGrid.outputs.systemTopicName
