// A real OpenID Connect provider for `make run` and the tests, standing in for Suomi.fi
// e-Identification and an organisation's identity provider: node-oidc-provider (certified by the
// OpenID Foundation) issues real signed tokens, checks PKCE and `private_key_jwt`, and shows a
// page of demo identities instead of a bank's login. Never used in production.
//
//   node deploy/dev-oidc-provider.mjs <config.json>
//
// The configuration (written by `manage.py oidc_dev_config`): issuer, port, the provider's
// signing key, the clients (with their public keys) and the identities to offer; the levels of
// assurance (acr) it supports, and the one each identification gets: the account's own `acr`,
// else `default_acr` (Suomi.fi's "substantial", loa2, and "high", loa3).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(config.accounts.map((account) => [account.sub, account]));
// Claims with the scope that asks for them; the identity code's claim name is Suomi.fi's.
const scopes = config.scopes;

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: [config.signing_key] },
  cookies: { keys: [config.cookie_key] },
  claims: scopes,
  scopes: Object.keys(scopes),
  // The identity comes in the ID token itself, as Suomi.fi delivers it.
  conformIdTokenClaims: false,
  acrValues: config.acr_values || [],
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: {
    // A client registered as short-lived gets an ID token that expires at once (expiry tests).
    IdToken: (ctx, token, client) => (client.clientId.endsWith('-short') ? 1 : 3600),
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // Our relying parties are first-party: the grant is given without a consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(Object.keys(scopes).join(' '));
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: () => ({ sub, ...account.claims }) };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function chooser(uid) {
  const buttons = config.accounts.map((account) => `
    <li><button name="sub" value="${escape(account.sub)}">${escape(account.label)}</button></li>`);
  return `<!doctype html><html lang="fi"><head><meta charset="utf-8">
<title>Testitunnistus</title></head><body><main>
<h1>Testitunnistus</h1>
<p>Kehitysympäristön tunnistaja: valitse, kenenä tunnistaudut.</p>
<form method="post" action="/interaction/${escape(uid)}/login"><ul>${buttons.join('')}</ul></form>
</main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(chooser(details.uid));
    return;
  }
  const sub = (await readForm(req)).get('sub');
  if (!accounts.has(sub)) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Tuntematon tunniste');
    return;
  }
  const acr = accounts.get(sub).acr || config.default_acr || undefined;
  await provider.interactionFinished(req, res, { login: { accountId: sub, acr } },
    { mergeWithLastSubmission: false });
}

const callback = provider.callback();
createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(error.message);
    });
  } else {
    callback(req, res);
  }
}).listen(config.port, '127.0.0.1', () => {
  console.log(`OIDC test provider at ${config.issuer}`);
});
