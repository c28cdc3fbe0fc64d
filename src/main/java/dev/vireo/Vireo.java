package dev.vireo;
public class Vireo { public static void main(String[] a) { System.out.println("hi"); } }
