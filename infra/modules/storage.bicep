// The storage account behind the Functions host (AzureWebJobsStorage: Event Hubs checkpoints,
// host locks), Durable Functions' Azure Storage backend (queues, history and instance tables,
// lease blobs), the deployment package container, and the app's own tables (profiles, history,
// enrollments, ...). Entra ID only: shared keys are off, so a connection string would not work
// even if someone made one.
param name string
param location string
param tags object = {}
param deploymentContainerName string
@description('The queue Event Grid writes ACS reports to (the app\'s AcsReportsQueue trigger reads it by this name).')
param acsReportsQueueName string = 'acs-reports'
@description('Principal id of the app\'s user-assigned identity.')
param appPrincipalId string

// Built-in role definition ids (the same in every tenant).
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// Flex Consumption reads the app package from here (functionAppConfig.deployment.storage).
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// ACS delivery and engagement reports, written by Event Grid (modules/eventgrid.bicep) and read by
// the app's AcsReportsQueue trigger. Made here, so it exists before the subscription that needs it.
resource acsReports 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: acsReportsQueueName
}

// The three data roles the Functions host and Durable Functions document for identity-based
// AzureWebJobsStorage; Table Data Contributor also covers the app's own tables. Scoped to this
// account only; none of them can read keys or change the account.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.blobDataOwner)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.queueDataContributor)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.tableDataContributor)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
  }
}

output name string = account.name
output acsReportsQueueName string = acsReports.name
output id string = account.id
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
// No trailing slash: https://<account>.table.core.windows.net (the JourneysStorage__tableServiceUri contract).
output tableServiceUri string = 'https://${account.name}.table.${environment().suffixes.storage}'
