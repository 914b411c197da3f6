/** Foreign replicas: trackers that are not Prophet replicas (RT, Redmine...) as sources and targets of the merge engine. */
export type { Applied, ForeignConnector, ForeignContext, LocalChange, RemoteChange, RemoteHistory, RemoteRef, RemoteTransaction } from './connector.js';
export { foreignScheme, type ForeignSchemeDefinition } from './scheme.js';
export { urlUuid } from './ids.js';
