-- Written by hand: Prisma's schema cannot express a CHECK constraint, so this invariant lives only here (see the
-- comment above model Item in prisma/schema.prisma). The domain already keeps it, and PostgreSQL refusing a
-- violating write is the last line of defence should any writer ever get it wrong.
-- Every unit is accounted for. Later features extend the same equation: available + held + sold - refunded = restocked.
-- There is deliberately no "sold <= restocked": the equation implies it today, and it stops holding once refunded
-- units can be sold again.
-- AddCheckConstraint
ALTER TABLE "items" ADD CONSTRAINT "items_stock_invariant"
    CHECK ("available" >= 0 AND "sold" >= 0 AND "restocked" >= 0 AND "available" = "restocked" - "sold");
