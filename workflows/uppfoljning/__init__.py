"""The monthly follow-up of one edge of the styrkedja, a child of the årshjul."""
