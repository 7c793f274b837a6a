import type { Client } from '@gatehouse/persistence';

/** A client that authenticates (anything but `none`): its limits count per client, its refresh tokens are not key-bound. */
export const isConfidential = (client: Client): boolean => client.tokenEndpointAuthMethod !== 'none';
