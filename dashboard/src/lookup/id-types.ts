/** The photo-ID types the portal offers (domain/identity.ts numbers them), named in common.json's idType. */
export const ID_TYPES = [1, 2, 6, 8, 12];
