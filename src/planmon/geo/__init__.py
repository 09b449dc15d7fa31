"""Maps without borders to get wrong: the tile grid of China's provincial-level divisions, and
approved boundary files supplied by an office (see :mod:`planmon.geo.boundary`)."""
