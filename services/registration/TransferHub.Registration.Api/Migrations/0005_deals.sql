-- A deal agreed in matchmaking prefills one contract draft for the seller.
ALTER TABLE submissions ADD COLUMN deal_id uuid NULL;
CREATE UNIQUE INDEX submissions_deal ON submissions (deal_id) WHERE deal_id IS NOT NULL;
