// ACS delivery and engagement reports to the app, identity only: an Event Grid system topic on
// the ACS resource, and one subscription that writes the e-mail delivery, e-mail engagement and
// SMS delivery reports into the acs-reports queue of the app's storage account. Event Grid
// writes with a user-assigned identity of its own that may only send queue messages there; the
// app's queue trigger (AcsReportsQueue) reads them. A queue, not a webhook: a webhook to the
// HTTP route would need the function key in its URL (a listKeys() call), and it would be
// validated when the subscription is created, before `azd deploy` has put the code there. The
// webhook route (POST /api/v1/acs/events) stays for subscriptions made by hand (docs/azure.md).
param systemTopicName string
param identityName string
param location string
param tags object = {}
param communicationServiceName string
param storageAccountName string
param queueName string

// Storage Queue Data Message Sender: add messages, nothing else (built-in, the same in every tenant).
var queueMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource deliveryIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, deliveryIdentity.id, queueMessageSender)
  scope: account
  properties: {
    principalId: deliveryIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageSender)
  }
}

// ACS is a global resource: its system topic is too.
resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${deliveryIdentity.id}': {}
    }
  }
  properties: {
    source: communicationService.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource reports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'journeys-acs-reports'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.EmailDeliveryReportReceived'
        'Microsoft.Communication.EmailEngagementTrackingReportReceived'
        'Microsoft.Communication.SMSDeliveryReportReceived'
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: deliveryIdentity.id
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: account.id
          queueName: queueName
          // a week, as long as a report is worth acting on; -1 would keep them forever
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
  }
  // Event Grid checks it may write to the queue when the subscription is made
  dependsOn: [
    sender
  ]
}

output systemTopicName string = systemTopic.name
output queueName string = queueName
