/**
 * Signing a user in through the hub's OAuth (authorization code flow, with state and PKCE), with
 * oauth4webapi: the hub is the authorization server, this service a confidential client whose secret is
 * its API token. JupyterHub serves no discovery document, so its two endpoints are named here.
 */
import * as oauth from 'oauth4webapi';
import type { HubEnvironment } from './environment.js';
import { StagingError } from './hub.js';

/** The scopes the stager asks for: start the user's own server, use it, know the user's name. */
export const USER_SCOPES = ['servers!user', 'access:servers!user', 'read:users:name!user'] as const;

export type OAuthClient = {
  /** The URL to send the browser to (relative to the hub), with the state and PKCE challenge in it. */
  authorizeUrl: (state: string, codeVerifier: string) => Promise<string>;
  /** Exchanges the callback's code; returns the access token. Throws with a message fit for a page. */
  exchange: (callback: URLSearchParams, state: string, codeVerifier: string) => Promise<string>;
};

export class SignInError extends Error {}

export function oauthClient(env: HubEnvironment): OAuthClient {
  const as: oauth.AuthorizationServer = {
    issuer: env.hubUrl.href,
    authorization_endpoint: new URL('hub/api/oauth2/authorize', env.hubUrl).href,
    token_endpoint: `${env.apiUrl}/oauth2/token`,
  };
  const client: oauth.Client = { client_id: env.clientId };
  const auth = oauth.ClientSecretPost(env.apiToken);
  // The hub's API is often plain http on loopback or inside a cluster.
  const options = { [oauth.allowInsecureRequests]: true };
  return {
    async authorizeUrl(state, codeVerifier) {
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', env.clientId);
      url.searchParams.set('redirect_uri', env.callbackUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', USER_SCOPES.join(' '));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      return url.href;
    },
    async exchange(callback, state, codeVerifier) {
      let parameters: URLSearchParams;
      try {
        parameters = oauth.validateAuthResponse(as, client, callback, state);
      } catch (error) {
        const detail = error instanceof oauth.AuthorizationResponseError ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}` : 'the answer was not valid';
        throw new SignInError(`The hub did not sign you in (${detail}).`);
      }
      let response: Response;
      try {
        response = await oauth.authorizationCodeGrantRequest(as, client, auth, parameters, env.callbackUrl, codeVerifier, { ...options, signal: AbortSignal.timeout(15_000) });
      } catch (error) {
        const cause = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).name;
        throw new StagingError(`The hub did not answer (${cause}). It may be restarting; try again in a minute.`, 502);
      }
      try {
        const result = await oauth.processAuthorizationCodeResponse(as, client, response);
        return result.access_token;
      } catch (error) {
        const detail = error instanceof oauth.ResponseBodyError ? error.error : (error as Error).message;
        throw new SignInError(`The hub refused to complete the sign-in (${detail}).`);
      }
    },
  };
}
