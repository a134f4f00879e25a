"""The internkontroll year on Temporal: its workflow, plan, activities, models and starter."""
