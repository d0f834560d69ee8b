// The service's own starting stock, used only when its data directory is empty. The SKUs match the app's
// catalog (db/seed-data.ts); nothing else is shared: the app owns the words, this service owns price and stock.
export const initialProducts: readonly { sku: string; priceCents: number; stock: number }[] = [
  { sku: 'MUG-001', priceCents: 1800, stock: 42 },
  { sku: 'TEE-002', priceCents: 2600, stock: 17 },
  { sku: 'HOOD-003', priceCents: 5400, stock: 8 },
  { sku: 'CAP-004', priceCents: 2200, stock: 0 },
  { sku: 'STK-005', priceCents: 400, stock: 250 },
  { sku: 'BOOK-006', priceCents: 3900, stock: 12 },
  { sku: 'POSTER-007', priceCents: 1500, stock: 30 },
  { sku: 'BOTTLE-008', priceCents: 2400, stock: 5 },
];
