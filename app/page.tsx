export default function ShopPage() {
  return (
    <section aria-labelledby="shop-heading">
      <h1 id="shop-heading" className="text-2xl font-semibold tracking-tight">
        Shop
      </h1>
      <p className="mt-2 text-slate-600">
        Every purchase is decided in order by the single writer of its item&apos;s Kafka partition: nothing is ever
        over-sold.
      </p>
    </section>
  );
}
