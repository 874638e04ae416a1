// Secret-like values never reach the output, yet a changed secret still shows as a changed line.
import { describe, expect, it } from 'vitest';

import { compareObjects } from '../../scripts/diff/compare-objects.ts';
import { parseObjects } from '../../scripts/diff/objects.ts';
import { REDACTED, REDACTED_NEW, REDACTED_OLD, redactPair } from '../../scripts/diff/redact.ts';

const secret = (value: string): string => `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: media}
data:
  password: ${value}
stringData:
  token: plain-${value}
`;

const deployment = (password: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: media}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: api
          image: api:1
          env:
            - {name: DB_PASSWORD, value: ${password}}
            - {name: LOG_LEVEL, value: debug}
          volumeMounts:
            - {name: tls, mountPath: /tls}
      volumes:
        - name: tls
          secret: {secretName: api-tls}
`;

describe('redaction', () => {
  it('replaces Secret data and secret-named env values; references and other values stay', () => {
    const [a] = redactPair(parseObjects(deployment('hunter2')).values().next().value?.value, undefined);
    const text = JSON.stringify(a);
    expect(text).not.toContain('hunter2');
    expect(text).toContain(REDACTED);
    expect(text).toContain('debug');
    expect(text).toContain('api-tls');
    expect(text).toContain('"automountServiceAccountToken":false');
  });

  it('a changed secret is a changed line with neither value', () => {
    const changes = compareObjects(parseObjects(secret('b2xk')), parseObjects(secret('bmV3')));
    expect(changes).toHaveLength(1);
    const diff = changes[0]?.diff.join('\n') ?? '';
    expect(diff).toContain(`-  password: ${REDACTED_OLD}`);
    expect(diff).toContain(`+  password: ${REDACTED_NEW}`);
    expect(diff).not.toMatch(/b2xk|bmV3|plain-/);
  });

  it('an unchanged secret next to a changed field shows no secret change', () => {
    const before = parseObjects(deployment('same'));
    const after = parseObjects(deployment('same').replace('api:1', 'api:2'));
    const diff = compareObjects(before, after)[0]?.diff.join('\n') ?? '';
    expect(diff).toContain('+          image: api:2');
    expect(diff).not.toContain('same');
    expect(diff).not.toMatch(/^[-+].*redacted/m);
  });
});
