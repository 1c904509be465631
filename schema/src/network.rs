//! The network fabric extension point payloads of `network.xsd` (JSON form: the XSD names).

use schemars::JsonSchema;
use serde::Serialize;

use crate::util::deserialize_model;
use crate::util::Extra;

/// `ErrorType`: an error returned by the extension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct ErrorType {
    /// `ErrorCode`: Error code returned by the extension.
    #[serde(rename = "ErrorCode")]
    pub error_code: i32,
    /// `ErrorMessage`: Error message returned by the extension.
    #[serde(rename = "ErrorMessage")]
    pub error_message: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ErrorType {
    error_code: "ErrorCode" req,
    error_message: "ErrorMessage" req,
});

/// `NetworkExtensionOperationStatus`: the status of a network operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkExtensionOperationStatus {
    /// `Success`: Status of the response.
    #[serde(rename = "Success")]
    pub success: bool,
    /// `Error`: Error returned by the extension.
    #[serde(rename = "Error", default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorType>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkExtensionOperationStatus {
    success: "Success" req,
    error: "Error" opt,
});

/// `NetworkIdType`: network ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkIdType {
    /// `NetworkId`: Morefs of the networks for which information is required (at least one).
    #[serde(rename = "NetworkId")]
    #[schemars(length(min = 1))]
    pub network_id: Vec<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkIdType {
    network_id: "NetworkId" req,
});

/// `NetworkBackingsType`: resolved network backings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkBackingsType {
    /// `NetworkBacking`: Network id, virtual wire id and dvpg moref of each network (at least one).
    #[serde(rename = "NetworkBacking")]
    #[schemars(length(min = 1))]
    pub network_backing: Vec<NetworkBackingType>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkBackingsType {
    network_backing: "NetworkBacking" req,
});

/// `NetworkBackingType`: one network's backing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkBackingType {
    /// `NetworkId`: Network id.
    #[serde(rename = "NetworkId")]
    pub network_id: String,
    /// `VirtualWireId`: Virtual wire id for the network.
    #[serde(rename = "VirtualWireId")]
    pub virtual_wire_id: String,
    /// `DvpgMoRef`: Dvpg moref for the network.
    #[serde(rename = "DvpgMoRef")]
    pub dvpg_mo_ref: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkBackingType {
    network_id: "NetworkId" req,
    virtual_wire_id: "VirtualWireId" req,
    dvpg_mo_ref: "DvpgMoRef" req,
});

/// `ResolveNetworksBackingRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct ResolveNetworksBackingRequest {
    /// `TransportZoneId`: Transport zone id.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// `ResourcePool`: The resource pool backing the VM as a URI (`moref://vcenter-id/ResourcePool#moref`).
    #[serde(rename = "ResourcePool")]
    pub resource_pool: String,
    /// `NetworkIds`: Ids of the networks whose backing is required.
    #[serde(rename = "NetworkIds")]
    pub network_ids: NetworkIdType,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ResolveNetworksBackingRequest {
    transport_zone_id: "TransportZoneId" req,
    resource_pool: "ResourcePool" req,
    network_ids: "NetworkIds" req,
});

/// `ResolveNetworksBackingResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct ResolveNetworksBackingResponse {
    /// `Status`: Status of the request.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// `ResourcePool`: The resource pool backing the VM as a URI.
    #[serde(rename = "ResourcePool")]
    pub resource_pool: String,
    /// `NetworksInformation`: The resolved network backings.
    #[serde(
        rename = "NetworksInformation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub networks_information: Option<NetworkBackingsType>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ResolveNetworksBackingResponse {
    status: "Status" req,
    resource_pool: "ResourcePool" req,
    networks_information: "NetworksInformation" opt,
});

/// `NetworkCreationRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkCreationRequest {
    /// `TransportZoneId`: Transport zone id.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// `Name`: Network name.
    #[serde(rename = "Name")]
    pub name: String,
    /// `Description`: Network description.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `TenantId`: Tenant id.
    #[serde(rename = "TenantId", default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkCreationRequest {
    transport_zone_id: "TransportZoneId" req,
    name: "Name" req,
    description: "Description" opt,
    tenant_id: "TenantId" opt,
});

/// `NetworkCreationResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkCreationResponse {
    /// `Status`: Status of the request.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// `NetworkId`: Id of the network created.
    #[serde(rename = "NetworkId", default, skip_serializing_if = "Option::is_none")]
    pub network_id: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkCreationResponse {
    status: "Status" req,
    network_id: "NetworkId" opt,
});

/// `NetworkDeletionRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkDeletionRequest {
    /// `NetworkId`: Id of the network to delete.
    #[serde(rename = "NetworkId")]
    pub network_id: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkDeletionRequest {
    network_id: "NetworkId" req,
});

/// `NetworkDeletionResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct NetworkDeletionResponse {
    /// `NetworkId`: Id of the deleted network.
    #[serde(rename = "NetworkId")]
    pub network_id: String,
    /// `Status`: Status of the request.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NetworkDeletionResponse {
    network_id: "NetworkId" req,
    status: "Status" req,
});

/// `Hub`: a hub of a transport zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Hub {
    /// `hubUri`: The resource pool backing the provider VDC as a URI.
    #[serde(rename = "hubUri")]
    pub hub_uri: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(Hub {
    hub_uri: "hubUri" req,
});

/// `Hubs`: the hubs of a transport zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Hubs {
    /// `Hub`: The hubs (at least one).
    #[serde(rename = "Hub")]
    #[schemars(length(min = 1))]
    pub hub: Vec<Hub>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(Hubs {
    hub: "Hub" req,
});

/// `CreateTransportZoneRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct CreateTransportZoneRequest {
    /// `ProviderVdcId`: Id of the provider VDC.
    #[serde(rename = "ProviderVdcId")]
    pub provider_vdc_id: String,
    /// `NetworkPoolId`: Id of the network pool the transport zone is created for.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `Name`: Name of the network pool.
    #[serde(rename = "Name")]
    pub name: String,
    /// `Description`: Description of the network pool.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `Hubs`: Hubs.
    #[serde(rename = "Hubs")]
    pub hubs: Hubs,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(CreateTransportZoneRequest {
    provider_vdc_id: "ProviderVdcId" req,
    network_pool_id: "NetworkPoolId" req,
    name: "Name" req,
    description: "Description" opt,
    hubs: "Hubs" req,
});

/// `CreateTransportZoneResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct CreateTransportZoneResponse {
    /// `NetworkPoolId`: Id of the network pool.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `TransportZoneId`: Id of the transport zone created.
    #[serde(
        rename = "TransportZoneId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_zone_id: Option<String>,
    /// `Status`: Status of the request.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(CreateTransportZoneResponse {
    network_pool_id: "NetworkPoolId" req,
    transport_zone_id: "TransportZoneId" opt,
    status: "Status" req,
});

/// `UpdateTransportZoneRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct UpdateTransportZoneRequest {
    /// `NetworkPoolId`: Id of the network pool.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `TransportZoneId`: Id of the transport zone.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// `Hubs`: Hubs.
    #[serde(rename = "Hubs")]
    pub hubs: Hubs,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(UpdateTransportZoneRequest {
    network_pool_id: "NetworkPoolId" req,
    transport_zone_id: "TransportZoneId" req,
    hubs: "Hubs" req,
});

/// `UpdateTransportZoneResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct UpdateTransportZoneResponse {
    /// `NetworkPoolId`: Id of the network pool.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `TransportZoneId`: Id of the transport zone.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// `Status`: Status of the update.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(UpdateTransportZoneResponse {
    network_pool_id: "NetworkPoolId" req,
    transport_zone_id: "TransportZoneId" req,
    status: "Status" req,
});

/// `DeleteTransportZoneRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct DeleteTransportZoneRequest {
    /// `NetworkPoolId`: Id of the network pool.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `TransportZoneId`: Id of the transport zone.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(DeleteTransportZoneRequest {
    network_pool_id: "NetworkPoolId" req,
    transport_zone_id: "TransportZoneId" req,
});

/// `DeleteTransportZoneResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct DeleteTransportZoneResponse {
    /// `NetworkPoolId`: Id of the network pool.
    #[serde(rename = "NetworkPoolId")]
    pub network_pool_id: String,
    /// `TransportZoneId`: Id of the transport zone.
    #[serde(rename = "TransportZoneId")]
    pub transport_zone_id: String,
    /// `Status`: Status of the deletion.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(DeleteTransportZoneResponse {
    network_pool_id: "NetworkPoolId" req,
    transport_zone_id: "TransportZoneId" req,
    status: "Status" req,
});

/// `SourceTransportZones`: transport zones to merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct SourceTransportZones {
    /// `SourceTransportZoneId`: Ids of the transport zones to merge into the target (at least one).
    #[serde(rename = "SourceTransportZoneId")]
    #[schemars(length(min = 1))]
    pub source_transport_zone_id: Vec<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(SourceTransportZones {
    source_transport_zone_id: "SourceTransportZoneId" req,
});

/// `MergeTransportZonesRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct MergeTransportZonesRequest {
    /// `TargetNetworkPoolId`: Id of the network pool.
    #[serde(rename = "TargetNetworkPoolId")]
    pub target_network_pool_id: String,
    /// `TargetTransportZoneId`: Id of the target transport zone.
    #[serde(rename = "TargetTransportZoneId")]
    pub target_transport_zone_id: String,
    /// `SourceTransportZones`: Transport zones to merge.
    #[serde(rename = "SourceTransportZones")]
    pub source_transport_zones: SourceTransportZones,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(MergeTransportZonesRequest {
    target_network_pool_id: "TargetNetworkPoolId" req,
    target_transport_zone_id: "TargetTransportZoneId" req,
    source_transport_zones: "SourceTransportZones" req,
});

/// `MergeTransportZonesResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct MergeTransportZonesResponse {
    /// `TargetNetworkPoolId`: Id of the network pool.
    #[serde(rename = "TargetNetworkPoolId")]
    pub target_network_pool_id: String,
    /// `TargetTransportZoneId`: Id of the target transport zone.
    #[serde(rename = "TargetTransportZoneId")]
    pub target_transport_zone_id: String,
    /// `Status`: Status of the merge.
    #[serde(rename = "Status")]
    pub status: NetworkExtensionOperationStatus,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(MergeTransportZonesResponse {
    target_network_pool_id: "TargetNetworkPoolId" req,
    target_transport_zone_id: "TargetTransportZoneId" req,
    status: "Status" req,
});
