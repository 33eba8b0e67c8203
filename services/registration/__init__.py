"""registration: beschut werk advice, doelgroepregister banenafspraak, dagbesteding, fallback."""
