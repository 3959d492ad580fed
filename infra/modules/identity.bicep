// The one identity of the Journeys app. User-assigned, so it exists before the Function App
// (role assignments and the deployment-storage setting can name it) and survives re-creating
// the app.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
