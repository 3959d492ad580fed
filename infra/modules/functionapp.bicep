// The Journeys Functions app on the Flex Consumption plan (FC1, Linux, .NET isolated worker).
// It runs as the user-assigned identity for everything: reading its package, the host storage,
// Durable state, Event Hubs, the app's tables, ACS and Application Insights. Every app setting
// below is a name, an endpoint or a client id; none is a key.
param planName string
param appName string
param location string
param tags object = {}
@description('azd service name in azure.yaml; azd finds the app by the azd-service-name tag.')
param serviceName string = 'function'

param identityId string
param identityClientId string

param storageAccountName string
param deploymentContainerUrl string
param tableServiceUri string
param applicationInsightsConnectionString string
param eventHubNamespaceFqdn string
param eventHubName string
param eventHubConsumerGroup string
param acsEndpoint string
param acsEmailSender string
param acsSmsFrom string = ''
@description('The settings JSON of send policies (Journeys__settings); empty: none.')
param sendPolicies string = ''

param runtimeVersion string = '10.0'
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100
param alwaysReadyDurableInstances int = 1

// "durable" = every orchestrator, activity and entity trigger. An always-ready instance keeps
// Durable timers (journey waits) and queue polling warm; the Event Hubs trigger and the HTTP API
// scale from zero on demand.
var alwaysReady = alwaysReadyDurableInstances > 0 ? [ { name: 'durable', instanceCount: alwaysReadyDurableInstances } ] : []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }

  // The contract with src/Journeys.Functions: these names, verbatim.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage, Event Hubs checkpoints and Durable Functions' Azure Storage backend
      // (the task hub name is in host.json).
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      // Event Hubs trigger connection "EventHubConnection".
      EventHubConnection__fullyQualifiedNamespace: eventHubNamespaceFqdn
      EventHubConnection__credential: 'managedidentity'
      EventHubConnection__clientId: identityClientId
      EventHubName: eventHubName
      EventHubConsumerGroup: eventHubConsumerGroup

      // The app's own Table Storage stores.
      JourneysStorage__tableServiceUri: tableServiceUri
      JourneysStorage__clientId: identityClientId

      // Channels.
      Acs__endpoint: acsEndpoint
      Acs__emailSender: acsEmailSender
      Acs__smsFrom: acsSmsFrom

      // Built-in tracking: where mail clients reach the app's t/o and t/c routes. The HMAC key is
      // not a setting: the app makes it in its own secrets table on first use.
      Tracking__baseUrl: 'https://${app.properties.defaultHostName}/api'

      // Send policies (quiet hours, frequency cap, global control): serve's settings JSON, read once at
      // startup; empty means none.
      Journeys__settings: sendPolicies

      // DefaultAzureCredential picks the user-assigned identity with this.
      AZURE_CLIENT_ID: identityClientId

      // Telemetry with Entra auth (the component has local auth disabled).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  }
}

// No publishing passwords: azd deploys with your Entra token, nothing needs basic auth.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
