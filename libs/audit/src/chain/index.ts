export { canonicalJson } from './canonical-json.js';
export { GENESIS_HASH, chainHash, findChainBreak, hashedContent, type ChainBreak, type UnhashedRecord } from './record-hash.js';
