// Snapshot serializer: replaces asset hashes (64 hex chars) so snapshots change only when the template does.
const HASH = /[0-9a-f]{64}/g;
module.exports = {
  test: (val) => typeof val === 'string' && /[0-9a-f]{64}/.test(val),
  serialize: (val) => JSON.stringify(val.replace(HASH, '[HASH REMOVED]')),
};
