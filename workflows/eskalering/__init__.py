"""The escalation of a deviation up the styrkedja until someone acknowledges it."""
