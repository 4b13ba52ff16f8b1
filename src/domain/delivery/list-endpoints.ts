// One use case per file: the list lives with getEndpoint (get-endpoint.ts), re-exported here.
export { listEndpoints } from './get-endpoint.ts';
