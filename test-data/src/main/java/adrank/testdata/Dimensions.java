package adrank.testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value sets of the key dimensions and of the non-key columns, with market-share weights and
 * price multipliers. The dimensions other than {@code ad_id} are drawn jointly as one "audience
 * combination" (geo, device, os, browser, connection) because they are not independent: a CTV
 * does not run Windows, an iPhone rarely runs Firefox, desktops are wired more often than phones.
 */
final class Dimensions {

    /** A value of a dimension with its relative frequency. */
    record Option(String value, double weight) {
    }

    /** A country with its share of traffic, its price level relative to the mean and its ISPs. */
    record Geo(String code, double weight, double priceMultiplier, List<String> isps) {
    }

    /** A device type with its share of traffic and its price level (CTV inventory is premium). */
    record Device(String name, double weight, double priceMultiplier, List<Option> oses, List<Option> connections) {
    }

    /** One feasible (geo, device, os, browser, connection) tuple and its probability. */
    record Combination(Geo geo, Device device, String os, String browser, String connection, double probability) {

        /** The key columns of a raw event line from geo to connection, tab-framed on both sides. */
        byte[] tabFramedColumns() {
            return ('\t' + geo.code + '\t' + device.name + '\t' + os + '\t' + browser + '\t' + connection + '\t')
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    static final List<Geo> GEOS = List.of(
            new Geo("US", 30, 1.8, List.of("Comcast Cable", "AT&T Internet", "Verizon Wireless", "Charter Spectrum", "T-Mobile USA")),
            new Geo("IN", 12, 0.25, List.of("Reliance Jio", "Bharti Airtel", "Vodafone Idea", "BSNL")),
            new Geo("BR", 8, 0.45, List.of("Vivo", "Claro Brasil", "TIM Brasil", "Oi")),
            new Geo("MX", 6, 0.5, List.of("Telmex", "Telcel", "Totalplay", "Megacable")),
            new Geo("GB", 6, 1.4, List.of("BT", "Sky Broadband", "Virgin Media", "Vodafone UK")),
            new Geo("DE", 6, 1.3, List.of("Deutsche Telekom", "Vodafone Germany", "Telefonica Germany", "1&1 Versatel")),
            new Geo("FR", 5, 1.1, List.of("Orange", "Free SAS", "SFR", "Bouygues Telecom")),
            new Geo("JP", 5, 1.2, List.of("NTT Docomo", "KDDI", "SoftBank")),
            new Geo("CA", 4, 1.4, List.of("Rogers Communications", "Bell Canada", "Telus")),
            new Geo("ES", 3, 0.8, List.of("Telefonica de Espana", "Orange Espagne", "Vodafone Spain")),
            new Geo("IT", 3, 0.8, List.of("Telecom Italia", "Vodafone Italia", "Wind Tre")),
            new Geo("AU", 3, 1.3, List.of("Telstra", "Optus", "TPG Telecom")),
            new Geo("ID", 3, 0.3, List.of("Telkomsel", "Indosat Ooredoo", "XL Axiata")),
            new Geo("NG", 2, 0.2, List.of("MTN Nigeria", "Airtel Nigeria", "Globacom")));

    static final List<Device> DEVICES = List.of(
            new Device("mobile", 60, 0.9,
                    List.of(new Option("android", 70), new Option("ios", 30)),
                    List.of(new Option("wifi", 55), new Option("cellular", 45))),
            new Device("desktop", 27, 1.2,
                    List.of(new Option("windows", 70), new Option("macos", 22), new Option("linux", 8)),
                    List.of(new Option("wired", 55), new Option("wifi", 45))),
            new Device("tablet", 8, 1.0,
                    List.of(new Option("ios", 55), new Option("android", 45)),
                    List.of(new Option("wifi", 85), new Option("cellular", 15))),
            new Device("ctv", 5, 3.0,
                    List.of(new Option("android", 45), new Option("linux", 30), new Option("tvos", 25)),
                    List.of(new Option("wifi", 65), new Option("wired", 35))));

    private static final List<Option> HANDHELD_ANDROID_BROWSERS = List.of(
            new Option("chrome", 62), new Option("Samsung Internet", 20), new Option("Opera Mini", 10), new Option("firefox", 8));
    private static final List<Option> HANDHELD_IOS_BROWSERS = List.of(
            new Option("safari", 85), new Option("chrome", 12), new Option("firefox", 3));

    /** Browsers by "device/os". */
    private static final Map<String, List<Option>> BROWSERS = Map.of(
            "mobile/android", HANDHELD_ANDROID_BROWSERS,
            "mobile/ios", HANDHELD_IOS_BROWSERS,
            "tablet/android", HANDHELD_ANDROID_BROWSERS,
            "tablet/ios", HANDHELD_IOS_BROWSERS,
            "desktop/windows", List.of(new Option("chrome", 65), new Option("edge", 25), new Option("firefox", 10)),
            "desktop/macos", List.of(new Option("safari", 55), new Option("chrome", 38), new Option("firefox", 7)),
            "desktop/linux", List.of(new Option("chrome", 55), new Option("firefox", 45)),
            "ctv/android", List.of(new Option("chrome", 100)),
            "ctv/linux", List.of(new Option("Samsung Internet", 60), new Option("chrome", 40)),
            "ctv/tvos", List.of(new Option("safari", 100)));

    /** Supply paths an impression can arrive through; not part of the key. */
    static final List<Option> TRAFFIC_SOURCES = List.of(
            new Option("google_adx", 35), new Option("appnexus", 20), new Option("pubmatic", 15),
            new Option("magnite", 12), new Option("openx", 8), new Option("index_exchange", 5), new Option("direct", 5));

    /** Every feasible audience combination, in a fixed order, with probabilities summing to 1. */
    static final List<Combination> COMBINATIONS = enumerateCombinations();

    private Dimensions() {
    }

    static double[] weights(List<Option> options) {
        return options.stream().mapToDouble(Option::weight).toArray();
    }

    static double[] combinationProbabilities() {
        return COMBINATIONS.stream().mapToDouble(Combination::probability).toArray();
    }

    private static List<Combination> enumerateCombinations() {
        double geoTotal = GEOS.stream().mapToDouble(Geo::weight).sum();
        double deviceTotal = DEVICES.stream().mapToDouble(Device::weight).sum();
        List<Combination> combinations = new ArrayList<>();
        for (Geo geo : GEOS) {
            for (Device device : DEVICES) {
                double osTotal = total(device.oses());
                double connectionTotal = total(device.connections());
                for (Option os : device.oses()) {
                    List<Option> browsers = BROWSERS.get(device.name() + '/' + os.value());
                    double browserTotal = total(browsers);
                    for (Option browser : browsers) {
                        for (Option connection : device.connections()) {
                            double p = geo.weight() / geoTotal * device.weight() / deviceTotal
                                    * os.weight() / osTotal * browser.weight() / browserTotal
                                    * connection.weight() / connectionTotal;
                            combinations.add(new Combination(
                                    geo, device, os.value(), browser.value(), connection.value(), p));
                        }
                    }
                }
            }
        }
        return List.copyOf(combinations);
    }

    private static double total(List<Option> options) {
        return options.stream().mapToDouble(Option::weight).sum();
    }
}
