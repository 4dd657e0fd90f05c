"""Agent self-service: my schedule (web, PDF, calendar feed), time off, shift swaps and offers, and the
scheduler's inbox and audit of every decision on them."""
