/**
 * zod schemas of the x509 method configuration parts the binding decision reads (Graph v1.0 names, checked
 * against the CSDL in tests).
 */
import { z } from 'zod';

const affinity = z.enum(['low', 'high', 'unknownFutureValue']);

/** `x509CertificateUserBinding` (Graph v1.0: `x509CertificateField` and `userProperty` are open strings). */
export const certificateUserBindingSchema = z.looseObject({
  x509CertificateField: z.string().nullish(),
  userProperty: z.string().nullish(),
  priority: z.number().int(),
  trustAffinityLevel: affinity.nullish(),
});

/** The parts of `x509CertificateAuthenticationMethodConfiguration` the decision reads. */
export const x509MethodConfigurationSchema = z.looseObject({
  certificateUserBindings: z.array(certificateUserBindingSchema).nullish(),
  authenticationModeConfiguration: z
    .looseObject({
      x509CertificateDefaultRequiredAffinityLevel: affinity.nullish(),
      rules: z
        .array(
          z.looseObject({
            x509CertificateRuleType: z.string().nullish(),
            identifier: z.string().nullish(),
            issuerSubjectIdentifier: z.string().nullish(),
            policyOidIdentifier: z.string().nullish(),
            x509CertificateRequiredAffinityLevel: affinity.nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

/** A validated binding and configuration. */
export type CertificateUserBinding = z.infer<typeof certificateUserBindingSchema>;
export type X509MethodConfiguration = z.infer<typeof x509MethodConfigurationSchema>;
