export { World, DEFAULT_LIMITS } from './world';
export type { NodeModel, HopRecord, WorldOptions } from './world';
export type { CallLive, ClientLive, ExchangeLive, GatewayLive, LiveBase, NodeLive, QueueLive, ServiceLive } from './live';
export { buildNodes, MODEL_KINDS, UnsupportedKindError } from './registry';
export { LogKind, KIND_SPECS, NO_STATUS, Reason, REASON_NAMES, statusKey } from './events';
export type { KindSpec } from './events';
export { MESSAGE_REASONS } from './broker/messaging';
