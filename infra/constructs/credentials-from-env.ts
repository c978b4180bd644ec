/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (bundling.ts aliases it).
 *
 * Lambda hands a function its role's credentials in environment variables, the first link of
 * the SDK's default chain. The rest of the chain (SSO, ini files, STS web identity, IMDS, the
 * login provider) never runs on Lambda but pulls nested STS/SSO clients, the Query and XML
 * protocols and more into every bundle. Code run by tsx (local runtime, tests) is not bundled
 * and keeps the full chain.
 */

/** The SDK's AwsCredentialIdentity, spelled out so this file depends on no SDK package. */
interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function defaultProvider(): () => Promise<Credentials> {
  return async () => {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION } = process.env;
    if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
      throw new Error('No AWS credentials in the environment: this bundle expects to run on Lambda');
    }
    return {
      accessKeyId: AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS_SECRET_ACCESS_KEY,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
      ...(AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
  };
}
