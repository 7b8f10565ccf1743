"""Demo data: twelve months of visits and problems in every state (seed_demo)."""
