// docs/specs/city-code.md carries a worked example (key, hex of every structure, final string). This
// test reads the document and checks the example against the implementation, so neither can drift.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrustStore, base45Decode, coseSign1Decode, encodeCityClaims, es256Signer, hexEncode, issueCityCode, kidOf, publicEcJwk, spkiOf, verifyCityCode } from './index';
import { listKey, makeKey, makeList, makeSource } from './testing';

const spec = fs.readFileSync(path.resolve('docs/specs/city-code.md'), 'utf8');
const code = /<!-- example-code -->\s*```\s*\n(CC1:[^\n]+)\n```/.exec(spec)?.[1] ?? '';
const jwk = JSON.parse(/\n(\{"kty":"EC"[^\n]+\})\n/.exec(spec)?.[1] ?? 'null') as JsonWebKey;
const hexAfter = (label: string) => new RegExp(`${label}[^\\n]*\\n\\n\`\`\`\\n([0-9a-f]+)\\n\`\`\``).exec(spec)?.[1];

describe('the specification\'s worked example', () => {
  it('verifies with the published test key, and every hex in the text matches', async () => {
    expect(code.length).toBe(292);
    const pub = publicEcJwk(jwk);
    const kid = await kidOf(pub);
    expect(spec).toContain(`base64url \`${kid}\``);
    expect(spec).toContain(hexEncode(await spkiOf(pub)));
    const listSigner = await makeKey();
    const source = await makeSource(makeList('CN-370200', [listKey({ kid, jwk: pub, privateKey: null as unknown as CryptoKey, signer: null as never }, 'CN-370200:GAJ')]), listSigner, { own: true });
    const at = new Date('2026-11-27T08:00:30Z');
    const d = await verifyCityCode(code, { trust: new TrustStore([source], { at }), at });
    expect(d).toMatchObject({ valid: true, reason: 'ok', kid: 'SuPySSuFQQY', issuer: 'CN-370200:GAJ' });
    expect(d.claims).toMatchObject({ iat: 1795766400, exp: 1795766460, cti: '5f0c6a1e9b2d4c37', health: 'green', sub: 'p7kQ2mZx9TfA1wXy' });

    const cose = base45Decode(code.slice(4));
    expect(hexAfter('COSE_Sign1 \\(192 bytes')).toBe(hexEncode(cose));
    const msg = coseSign1Decode(cose);
    expect(spec).toContain(hexEncode(msg.payload));
    expect(hexEncode(encodeCityClaims(d.claims!))).toBe(hexEncode(msg.payload));
    expect(hexAfter('Sig_structure \\(signed bytes\\)')).toMatch(/^846a5369676e617475726531/);
    // Re-issuing with the private key gives the same payload (the signature differs: ECDSA is randomised).
    const priv = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const again = await issueCityCode(d.claims!, es256Signer(kid, priv));
    expect(again.length).toBe(code.length);
    expect(hexEncode(coseSign1Decode(base45Decode(again.slice(4))).payload)).toBe(hexEncode(msg.payload));
  });
});
