import type { CacheStamp as Stamp } from '@/lib/cache/tagged';
import { formatPrice, type StockResult } from '@/lib/inventory';
import { CacheStamp } from '../_components/cache-stamp';

/** Price and stock from the inventory service, or a plain note for readers (the cause is in the server log). */
export function PriceAndStock({ data, stamp }: { data: StockResult; stamp?: Stamp }) {
  return (
    <div data-testid="price-and-stock">
      {data.ok ? (
        <p className="flex items-baseline gap-3">
          <span className="text-xl font-semibold" data-testid="price">{formatPrice(data.stock)}</span>
          <span data-testid="stock" className={data.stock.stock > 0 ? 'text-green-700 dark:text-green-400' : 'text-red-700 dark:text-red-400'}>
            {data.stock.stock > 0 ? `${data.stock.stock} in stock` : 'Out of stock'}
          </span>
        </p>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-300" data-testid="price-unavailable">
          {data.reason === 'not-sold' ? 'Not on sale at the moment.' : 'Price unavailable right now. Please try again in a moment.'}
        </p>
      )}
      {stamp && <CacheStamp stamp={stamp} />}
    </div>
  );
}
