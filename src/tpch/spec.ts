/**
 * Constants of the TPC-H specification (clause 4.2): table cardinalities per scale factor, the
 * date range, the fixed lists (regions, nations, segments, priorities, ship modes and
 * instructions) and the syllable lists of the part attributes.
 */

/** Days since 1970-01-01 of a calendar date. */
export const dayNumber = (y: number, m: number, d: number): number => Math.round(Date.UTC(y, m - 1, d) / 86_400_000)

/** STARTDATE: the first order date (1992-01-01). */
export const START_DATE = dayNumber(1992, 1, 1)
/** CURRENTDATE: the date that splits returned/shipped lines from open ones (1995-06-17). */
export const CURRENT_DATE = dayNumber(1995, 6, 17)
/** ENDDATE (1998-12-31). */
export const END_DATE = dayNumber(1998, 12, 31)
/** Orders are dated up to ENDDATE - 151 days (1998-08-02). */
export const LAST_ORDER_DATE = END_DATE - 151

/** Row counts of the eight tables at a scale factor (lineitem is approximate: 1..7 lines an order). */
export interface Cardinalities {
  readonly region: number
  readonly nation: number
  readonly supplier: number
  readonly customer: number
  readonly part: number
  readonly partsupp: number
  readonly orders: number
  /** Expected lineitem rows (4 lines an order on average). */
  readonly lineitemApprox: number
}

/** Base cardinalities times SF, as clause 4.2.5 lists them. */
export function cardinalities(sf: number): Cardinalities {
  const scaled = (base: number): number => Math.max(1, Math.round(base * sf))
  const orders = scaled(1_500_000)
  return {
    region: 5,
    nation: 25,
    supplier: scaled(10_000),
    customer: scaled(150_000),
    part: scaled(200_000),
    partsupp: scaled(200_000) * 4,
    orders,
    lineitemApprox: orders * 4,
  }
}

/** The five regions, in key order. */
export const REGIONS: readonly string[] = ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST']

/** The 25 nations with their region keys, in key order. */
export const NATIONS: readonly (readonly [name: string, regionKey: number])[] = [
  ['ALGERIA', 0],
  ['ARGENTINA', 1],
  ['BRAZIL', 1],
  ['CANADA', 1],
  ['EGYPT', 4],
  ['ETHIOPIA', 0],
  ['FRANCE', 3],
  ['GERMANY', 3],
  ['INDIA', 2],
  ['INDONESIA', 2],
  ['IRAN', 4],
  ['IRAQ', 4],
  ['JAPAN', 2],
  ['JORDAN', 4],
  ['KENYA', 0],
  ['MOROCCO', 0],
  ['MOZAMBIQUE', 0],
  ['PERU', 1],
  ['CHINA', 2],
  ['ROMANIA', 3],
  ['SAUDI ARABIA', 4],
  ['VIETNAM', 2],
  ['RUSSIA', 3],
  ['UNITED KINGDOM', 3],
  ['UNITED STATES', 1],
]

/** Market segments (c_mktsegment). */
export const SEGMENTS: readonly string[] = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD']
/** Order priorities (o_orderpriority). */
export const PRIORITIES: readonly string[] = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW']
/** Ship instructions (l_shipinstruct). */
export const INSTRUCTIONS: readonly string[] = ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN']
/** Ship modes (l_shipmode). */
export const MODES: readonly string[] = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB']

/** p_type = one word of each of the three syllable lists (150 types). */
export const TYPE_SYLLABLES: readonly (readonly string[])[] = [
  ['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'],
  ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'],
  ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'],
]

/** p_container = one word of each of the two syllable lists (40 containers). */
export const CONTAINER_SYLLABLES: readonly (readonly string[])[] = [
  ['SM', 'LG', 'MED', 'JUMBO', 'WRAP'],
  ['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'],
]

/** The 92 color words p_name is built from (five distinct words a part). */
export const COLORS: readonly string[] = [
  'almond', 'antique', 'aquamarine', 'azure', 'beige', 'bisque', 'black', 'blanched', 'blue', 'blush',
  'brown', 'burlywood', 'burnished', 'chartreuse', 'chiffon', 'chocolate', 'coral', 'cornflower',
  'cornsilk', 'cream', 'cyan', 'dark', 'deep', 'dim', 'dodger', 'drab', 'firebrick', 'floral', 'forest',
  'frosted', 'gainsboro', 'ghost', 'goldenrod', 'green', 'grey', 'honeydew', 'hot', 'indian', 'ivory',
  'khaki', 'lace', 'lavender', 'lawn', 'lemon', 'light', 'lime', 'linen', 'magenta', 'maroon', 'medium',
  'metallic', 'midnight', 'mint', 'misty', 'moccasin', 'navajo', 'navy', 'olive', 'orange', 'orchid',
  'pale', 'papaya', 'peach', 'peru', 'pink', 'plum', 'powder', 'puff', 'purple', 'red', 'rose', 'rosy',
  'royal', 'saddle', 'salmon', 'sandy', 'seashell', 'sienna', 'sky', 'slate', 'smoke', 'snow', 'spring',
  'steel', 'tan', 'thistle', 'tomato', 'turquoise', 'violet', 'wheat', 'white', 'yellow',
]

/** Characters of the random v-strings (addresses): 64 symbols. */
export const VSTRING_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,'

/** The retail price of a part in cents (clause 4.2.3: P_RETAILPRICE formula). */
export const retailPriceCents = (partKey: number): number =>
  90000 + (Math.floor(partKey / 10) % 20001) + 100 * (partKey % 1000)

/**
 * The supplier key of the i-th (0..3) supplier of a part (the PS_SUPPKEY formula of clause 4.2.3,
 * also used for L_SUPPKEY), for S suppliers.
 */
export const partSupplier = (partKey: number, i: number, suppliers: number): number =>
  ((partKey + i * (Math.floor(suppliers / 4) + Math.floor((partKey - 1) / suppliers))) % suppliers) + 1

/** The sparse order key of the n-th (0-based) order: the first 8 of every 32 keys are used. */
export const orderKeyOf = (n: number): number => Math.floor(n / 8) * 32 + (n % 8) + 1
