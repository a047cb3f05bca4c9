-- a
/* b /* nested */ c */
