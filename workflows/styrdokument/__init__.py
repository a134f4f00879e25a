"""The review timer of governing documents (styrdokument): its workflow, activities and models."""
