/** Importing this module registers every scalar function of the library in the registry. */
import './functions/index.js'
import './datetime-functions.js'
import '../catalog/pg-functions.js'
