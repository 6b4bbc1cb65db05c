/**
 * How Entra renders DN attribute names in `certificateUserIds` (`X509:<I>…<S>…`).
 *
 * Evidence: Microsoft's own generator (`Get-EntraUserCertificateUserIdsFromCertificate` in
 * microsoftgraph/entra-powershell) builds the Issuer/Subject strings with .NET `X500DistinguishedName.Decode`, which
 * on Windows is CryptoAPI `CertNameToStr` (CERT_X500_NAME_STR). Its key table (learn.microsoft.com,
 * "Creating a subject name" / IX500DistinguishedName) uses `G` for givenName, `T` for title, `S` for
 * stateOrProvince, `E` for the e-mail attribute, `SN` for surname; unknown types are written `OID.<dotted>`.
 * Medium confidence: Entra's server-side comparison is not documented; keep this table as data so it can change.
 */

/** OID → rendered attribute name. */
export const ENTRA_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** Prefix CryptoAPI uses for attribute types without a name. */
export const UNKNOWN_ATTRIBUTE_PREFIX = 'OID.';

/** Characters that make CertNameToStr quote a value (plus leading/trailing spaces and the empty value). */
export const QUOTE_TRIGGERS = [',', '+', '=', '"', '\n', '\r', '<', '>', '#', ';'];
