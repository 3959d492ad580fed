// Azure Communication Services for the email and SMS channels: an Email Communication Service
// with a free Azure-managed domain (DoNotReply@<guid>.azurecomm.net, low sending limits, fine
// to start; add a custom domain for production), linked to the ACS resource the app calls.
// The app authenticates with Entra ID (its managed identity); the ACS access keys are never
// read by this template or the app.
param communicationServiceName string
param emailServiceName string
@description('Data location of ACS and the email service, e.g. "United States", "Europe".')
param dataLocation string
param tags object = {}
@description('Principal id of the app\'s user-assigned identity.')
param appPrincipalId string
@allowed([
  'sender'
  'contributor'
])
param roleMode string = 'sender'

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var senderRoleId = guid(resourceGroup().id, 'journeys-acs-sender')

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      managedDomain.id
    ]
  }
}

// ACS has no data-plane role (nothing like "Email Sender"): with Entra auth it checks Azure RBAC
// actions on the ACS resource itself. Its docs name Contributor, or a custom role holding
// Microsoft.Communication/CommunicationServices/Read and .../Write. Default: that custom role,
// which unlike Contributor cannot list or regenerate the access keys, delete the resource or
// touch role assignments. Creating it needs Owner or User Access Administrator on the resource
// group; deployers without that pick acsRole=contributor (still scoped to this one resource).
resource senderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (roleMode == 'sender') {
  name: senderRoleId
  properties: {
    roleName: 'Journeys ACS sender (${resourceGroup().name}, ${uniqueString(resourceGroup().id)})'
    description: 'Send email and SMS through Azure Communication Services with Microsoft Entra ID; no keys, no delete.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Communication/CommunicationServices/Read'
          'Microsoft.Communication/CommunicationServices/Write'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource appAcsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communicationService.id, appPrincipalId, roleMode)
  scope: communicationService
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleMode == 'sender' ? senderRoleId : contributor)
  }
  dependsOn: [
    senderRole
  ]
}

output name string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output emailSender string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
