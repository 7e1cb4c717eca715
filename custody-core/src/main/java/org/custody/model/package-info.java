/**
 * Immutable values of the custody domain: bags and containers, people and roles, places, stages and steps.
 * Every value validates itself on construction; wire names of enumerations are part of the record format.
 */
package org.custody.model;
