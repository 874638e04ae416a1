// The transcoding inventory settings are validated at load time, naming the file and field, before anything renders.
import { describe, expect, it } from 'vitest';
import { renderFleetBuilds } from '../../support/rendered.ts';

describe('transcoding inventory settings', () => {
  it.each([
    { name: 'a host name as a CIDR', value: { external: { postgres: { host: 'db.example.net', cidrs: ['db.example.net'] } } }, message: /clusters\.yaml.*transcoding.*cidrs/s },
    { name: 'an unknown managed service', value: { external: { mysql: { host: 'db.example.net' } } }, message: /clusters\.yaml.*transcoding.*mysql/s },
    { name: 'an object store without a bucket', value: { external: { objectStorage: { endpoint: 'https://s3.example.net' } } }, message: /clusters\.yaml.*bucket/s },
    { name: 'a runtime class that is not a DNS label', value: { gpu: { runtimeClassName: 'NVIDIA GPU' } }, message: /clusters\.yaml.*runtimeClassName/s },
  ])('rejects $name', async ({ value, message }) => {
    await expect(renderFleetBuilds({ edits: [{ file: 'clusters.yaml', path: ['clusters', 0, 'transcoding'], value }] })).rejects.toThrow(message);
  });
});
