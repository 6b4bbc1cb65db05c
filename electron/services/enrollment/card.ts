/**
 * The card behind an enrollment: its authentication certificate (from a reader or a file), the computed
 * `certificateUserIds` values, the holder facts used to search, and the identifiers the journal records.
 */
import type { CertificateSource } from '../../../shared/contract/enrollment';
import { cardFactsFromCertificate, cardValueList } from '../../../shared/enrollment';
import type { CardFacts } from '../../../shared/enrollment';
import type { CertificateInfo } from '../../../shared/certificates';
import { certificateUserIdsFromDer } from '../../../shared/mapping';
import type { CertificateUserIds, MappingForm } from '../../../shared/mapping';
import { AppError } from '../../../shared/errors';
import { enrollmentError } from './errors';

/** Everything the service derives from one certificate. */
export type ResolvedCard = {
  der: Uint8Array;
  info: CertificateInfo;
  values: CertificateUserIds;
  /** Non-null values in canonical order. */
  list: { form: MappingForm; value: string }[];
  facts: CardFacts;
  /** Journal card fields (`card` of a journal entry), or undefined when the certificate names no card. */
  journal: { cardNumber: string; identifier: string; serialHex: string; skiHex?: string } | undefined;
};

/** Decode base64 DER (whitespace tolerated). */
export function derFromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
}

/** Resolve a certificate source to the card; `lastCertificate` gives the DER last read in a reader. */
export async function resolveCard(
  source: CertificateSource,
  lastCertificate: (reader: string) => Uint8Array | undefined,
): Promise<ResolvedCard> {
  let der: Uint8Array | undefined;
  if (source.kind === 'reader') {
    der = lastCertificate(source.reader);
    if (der === undefined) {
      throw enrollmentError('enrollment.no-card-in-reader', { reader: source.reader });
    }
  } else {
    der = derFromBase64(source.derBase64);
  }
  return resolveDer(der);
}

/** Inspect a DER certificate; refuse what cannot identify a practitioner (signature certificate, garbage). */
export async function resolveDer(der: Uint8Array): Promise<ResolvedCard> {
  let computed: Awaited<ReturnType<typeof certificateUserIdsFromDer>>;
  try {
    computed = await certificateUserIdsFromDer(der);
  } catch (error) {
    throw new AppError('enrollment.invalid-certificate', { details: { bytes: der.length }, cause: error });
  }
  const { info, values } = computed;
  // The signature certificate (non-repudiation, no SAN) must never be used for mapping (domain §3).
  if (
    info.isCa ||
    info.keyUsage?.nonRepudiation === true ||
    (info.keyUsage !== null && !info.keyUsage.digitalSignature)
  ) {
    throw enrollmentError('enrollment.not-an-authentication-certificate', { kind: info.isCa ? 'ca' : 'signature' });
  }
  const identifier = info.identifier?.value ?? info.holder.commonName ?? null;
  const cardNumber = info.cpx.cardNumber;
  return {
    der,
    info,
    values,
    list: cardValueList(values),
    facts: cardFactsFromCertificate(info),
    journal:
      cardNumber === null || identifier === null || identifier === ''
        ? undefined
        : {
            cardNumber,
            identifier,
            serialHex: info.serialHex,
            ...(info.skiHex === null ? {} : { skiHex: info.skiHex }),
          },
  };
}
